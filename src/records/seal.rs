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
    let mut text = String::new();
    match result {
        Value::Object(fields) => object(fields, Some(SEAL_FIELD), &mut text),
        other => canonical(other, &mut text),
    }
    format!(
        "{SEAL_PREFIX}{}",
        blake3::keyed_hash(SEAL_KEY, text.as_bytes()).to_hex()
    )
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
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(fields) => object(fields, None, out),
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(x, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An object's fields in key order, leaving out `skip`.
fn object(fields: &serde_json::Map<String, Value>, skip: Option<&str>, out: &mut String) {
    let mut keys: Vec<&String> = fields.keys().filter(|k| Some(k.as_str()) != skip).collect();
    keys.sort();
    out.push('{');
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(k.clone()).to_string());
        out.push(':');
        canonical(&fields[k], out);
    }
    out.push('}');
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
