//! The seal of a result file: a keyed blake3 hash over the canonical JSON of every field
//! but the seal itself (object keys sorted, no spaces, numbers as the JSON reader prints
//! them). It shows a file edited by hand after Attune wrote it. The key is in the program,
//! so anyone who runs Attune's code can seal a file of their own making: the seal proves
//! nothing about who played, and the rule checks in `verify` do not rely on it.

use serde_json::Value;

/// The field that holds the seal.
pub const SEAL_FIELD: &str = "seal";

/// What a seal starts with, naming how it was made.
const SEAL_PREFIX: &str = "blake3-keyed:";

/// The key of the seal. It is no secret (see the module's note): it only makes the seal
/// Attune's own rather than any blake3 hash a text editor's plug-in could compute.
const SEAL_KEY: &[u8; 32] = b"attune-result/2 seal, 2026-12-06";

/// The seal of a result as JSON: every field except `seal`, canonical, hashed with the key.
pub fn seal_of(result: &Value) -> String {
    // The canonical text goes straight into the hasher: no copy of a result in memory.
    let mut hash = blake3::Hasher::new_keyed(SEAL_KEY);
    match result {
        Value::Object(fields) => object(fields, Some(SEAL_FIELD), &mut hash),
        other => canonical(other, &mut hash),
    }
    format!("{SEAL_PREFIX}{}", hash.finalize().to_hex())
}

/// Whether the result's `seal` field is the seal of its other fields.
pub fn holds(result: &Value) -> bool {
    result
        .get(SEAL_FIELD)
        .and_then(Value::as_str)
        .is_some_and(|seal| seal == seal_of(result))
}

/// One JSON value with its object keys sorted and no whitespace, whatever order the
/// reader kept them in.
fn canonical(v: &Value, out: &mut blake3::Hasher) {
    match v {
        Value::Object(fields) => object(fields, None, out),
        Value::Array(items) => {
            out.update(b"[");
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.update(b",");
                }
                canonical(x, out);
            }
            out.update(b"]");
        }
        scalar => serde_json::to_writer(out, scalar).expect("hashing does not fail"),
    }
}

/// An object's fields in key order, leaving out `skip`.
fn object(fields: &serde_json::Map<String, Value>, skip: Option<&str>, out: &mut blake3::Hasher) {
    out.update(b"{");
    let mut first = true;
    let mut field = |k: &String, v: &Value, out: &mut blake3::Hasher| {
        if Some(k.as_str()) == skip {
            return;
        }
        if !first {
            out.update(b",");
        }
        first = false;
        serde_json::to_writer(&mut *out, k).expect("hashing does not fail");
        out.update(b":");
        canonical(v, out);
    };
    // The JSON reader keeps keys sorted unless built to keep their order: sort only then.
    if fields.keys().is_sorted() {
        for (k, v) in fields {
            field(k, v, out);
        }
    } else {
        let mut keys: Vec<&String> = fields.keys().collect();
        keys.sort();
        for k in keys {
            field(k, &fields[k], out);
        }
    }
    out.update(b"}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_seal_ignores_key_order_and_spacing_but_not_values() {
        let a: Value =
            serde_json::from_str(r#"{"b": [1, 2.5], "a": {"y": "x", "x": null}}"#).unwrap();
        let b = json!({"a": {"x": null, "y": "x"}, "b": [1, 2.5]});
        assert_eq!(seal_of(&a), seal_of(&b));
        assert!(seal_of(&a).starts_with("blake3-keyed:"));
        assert_ne!(
            seal_of(&a),
            seal_of(&json!({"a": {"x": null, "y": "x"}, "b": [1, 2.6]}))
        );
        assert_ne!(
            seal_of(&a),
            seal_of(&json!({"a": {"x": null, "y": "x"}, "b": [1.0, 2.5]}))
        );
    }

    #[test]
    fn a_seal_holds_until_a_field_changes() {
        let mut v = json!({"format": "attune-result/2", "seed": 7});
        assert!(!holds(&v), "no seal, nothing holds");
        v[SEAL_FIELD] = json!(seal_of(&v));
        assert!(holds(&v));
        v["seed"] = json!(8);
        assert!(!holds(&v));
    }
}
