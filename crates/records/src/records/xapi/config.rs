//! Which learning record store to send to, if any: `lrs.ron` in the data folder, with the
//! `ATTUNE_LRS_*` environment variables taking precedence field by field. Nothing set
//! anywhere means no store, and then Attune never opens a connection.

use std::path::Path;

use serde::Deserialize;

/// The file beside `records.sqlite` that configures the store.
pub const FILE_NAME: &str = "lrs.ron";

/// A configured learning record store.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LrsConfig {
    /// The xAPI endpoint, e.g. `https://lrs.example.edu/xapi/`; statements go to `statements` under it.
    pub endpoint: String,
    pub key: String,
    pub secret: String,
    /// The `homePage` of learners' accounts: the system their ids belong to.
    pub home_page: String,
    /// Where activity ids (scenarios, turns, packs) are rooted.
    pub activity_base: String,
    /// Where the endpoint was set (the file's path, or the variable), for messages.
    pub endpoint_from: String,
}

/// The file's shape: every field optional, so that a missing one is reported by name.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "LrsConfig")]
struct Fields {
    endpoint: Option<String>,
    key: Option<String>,
    secret: Option<String>,
    home_page: Option<String>,
    activity_base: Option<String>,
}

impl LrsConfig {
    /// The configuration for the data folder in use (see `store::default_path`).
    pub fn load() -> Result<Option<LrsConfig>, String> {
        let Some(db) = crate::records::store::default_path() else {
            return LrsConfig::from_sources(None, &env_var);
        };
        LrsConfig::for_database(&db)
    }

    /// The configuration beside a records database.
    pub fn for_database(db_path: &Path) -> Result<Option<LrsConfig>, String> {
        LrsConfig::load_from(db_path.parent().unwrap_or(Path::new(".")))
    }

    /// The configuration from `lrs.ron` in `dir` and the environment.
    pub fn load_from(dir: &Path) -> Result<Option<LrsConfig>, String> {
        let path = dir.join(FILE_NAME);
        let text = attune_core::scenario::read_optional_text(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .map(|t| (path.display().to_string(), t));
        LrsConfig::from_sources(
            text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            &env_var,
        )
    }

    /// The configuration from a file's text (named for messages) and a variable lookup.
    /// Every value is checked here, before anything is built or sent with it: an error
    /// names the field and where it was set (the file, or the variable).
    pub fn from_sources(
        file: Option<(&str, &str)>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<LrsConfig>, String> {
        let mut f = match file {
            Some((name, text)) => attune_core::source::ron_options()
                .from_str::<Fields>(text)
                .map_err(|e| format!("{name}: {e}"))?,
            None => Fields::default(),
        };
        let file_name = file.map_or(FILE_NAME, |(name, _)| name);
        // Where each field was set, for messages: the file unless a variable overrode it.
        let mut from = [Source::File(file_name); 5];
        for ((var, field), from) in [
            ("ATTUNE_LRS_ENDPOINT", &mut f.endpoint),
            ("ATTUNE_LRS_KEY", &mut f.key),
            ("ATTUNE_LRS_SECRET", &mut f.secret),
            ("ATTUNE_LRS_HOME_PAGE", &mut f.home_page),
            ("ATTUNE_LRS_ACTIVITY_BASE", &mut f.activity_base),
        ]
        .into_iter()
        .zip(&mut from)
        {
            if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
                *field = Some(v);
                *from = Source::Variable(var);
            }
        }
        let given = |v: &Option<String>| v.as_ref().is_some_and(|s| !s.trim().is_empty());
        let fields = [
            &f.endpoint,
            &f.key,
            &f.secret,
            &f.home_page,
            &f.activity_base,
        ];
        if file.is_none() && !fields.into_iter().any(given) {
            return Ok(None);
        }
        let missing: Vec<&str> = [
            ("endpoint", &f.endpoint),
            ("key", &f.key),
            ("secret", &f.secret),
        ]
        .into_iter()
        .filter(|(_, v)| !given(v))
        .map(|(n, _)| n)
        .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the learning record store is half configured: {} missing (set it in {FILE_NAME} in the data folder or as ATTUNE_LRS_{})",
                missing.join(", "),
                missing[0].to_uppercase()
            ));
        }
        let [endpoint_from, key_from, secret_from, home_from, base_from] = from;
        let endpoint = f.endpoint.unwrap_or_default().trim().to_string();
        endpoint_from.check_iri("endpoint", &endpoint)?;
        let key = f.key.unwrap_or_default();
        let secret = f.secret.unwrap_or_default();
        // Basic authentication joins them with a colon in a header: a colon in the key
        // would move the split, a control character would break the header.
        if key.contains(':') {
            return Err(key_from.problem(
                "key",
                "has a colon in it, which Basic authentication cannot carry in a key",
            ));
        }
        for (name, value, source) in [("key", &key, key_from), ("secret", &secret, secret_from)] {
            if value.chars().any(char::is_control) {
                return Err(source.problem(
                    name,
                    "has a control character (a line break, a tab...) in it",
                ));
            }
        }
        // Without a home page the store's own site names the accounts: better than none,
        // and stable as long as the store is.
        let (home_page, home_from) = match f.home_page {
            Some(h) => (h.trim().to_string(), home_from),
            None => (http_origin(&endpoint)?, endpoint_from),
        };
        home_from.check_iri("home_page", &home_page)?;
        let activity_base = match f.activity_base {
            Some(b) => b.trim().trim_end_matches('/').to_string(),
            None => format!("{}/attune", home_page.trim_end_matches('/')),
        };
        base_from.check_iri("activity_base", &activity_base)?;
        Ok(Some(LrsConfig {
            endpoint,
            key,
            secret,
            home_page,
            activity_base,
            endpoint_from: endpoint_from.to_string(),
        }))
    }

    /// The Statement resource.
    pub fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint.trim_end_matches('/'))
    }

    /// A warning when key and secret would go over plain `http://` to a host that is not
    /// this machine: anyone on the way can read Basic authentication.
    pub fn plain_http_warning(&self) -> Option<String> {
        let rest = self
            .endpoint
            .get(..7)?
            .eq_ignore_ascii_case("http://")
            .then(|| &self.endpoint[7..])?;
        let authority = rest.split('/').next().unwrap_or("");
        let host = match authority.strip_prefix('[') {
            Some(literal) => literal.split(']').next().unwrap_or(""),
            None => authority.split(':').next().unwrap_or(""),
        };
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        (!loopback).then(|| {
            format!(
                "warning: the learning record store's key and secret go to {host} over plain http://, where anyone on the network between can read them; use an https:// endpoint in {}",
                self.endpoint_from
            )
        })
    }
}

/// Where a field's value was set.
#[derive(Clone, Copy, Debug)]
enum Source<'a> {
    File(&'a str),
    Variable(&'a str),
}

impl Source<'_> {
    fn problem(&self, field: &str, what: &str) -> String {
        format!("{self}: {field} {what}")
    }

    fn check_iri(&self, field: &str, value: &str) -> Result<(), String> {
        super::iri::check_http_iri(value)
            .map_err(|e| self.problem(field, &format!("`{value}` {e}")))
    }
}

impl std::fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Source::File(name) => write!(f, "{name}"),
            Source::Variable(var) => write!(f, "the variable {var}"),
        }
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The origin (`scheme://host[:port]`) of an http(s) URL checked by `iri::check_http_iri`.
pub(super) fn http_origin(url: &str) -> Result<String, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("`{url}` is not an http:// or https:// URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    Ok(format!("{}://{authority}", scheme.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(file: Option<&str>, vars: &[(&str, &str)]) -> Result<Option<LrsConfig>, String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        LrsConfig::from_sources(file.map(|t| ("lrs.ron", t)), &move |k| {
            vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn nothing_set_is_no_store() {
        assert_eq!(from(None, &[]), Ok(None));
        assert_eq!(from(None, &[("ATTUNE_LRS_ENDPOINT", "  ")]), Ok(None));
    }

    #[test]
    fn a_file_gives_a_store_with_defaults_from_the_endpoint() {
        let c = from(
            Some(r#"(endpoint: "https://lrs.example.edu:8443/xapi/", key: "k", secret: "s")"#),
            &[],
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.home_page, "https://lrs.example.edu:8443");
        assert_eq!(c.activity_base, "https://lrs.example.edu:8443/attune");
        assert_eq!(
            c.statements_url(),
            "https://lrs.example.edu:8443/xapi/statements"
        );
    }

    #[test]
    fn variables_override_the_file_field_by_field() {
        let c = from(
            Some(r#"(endpoint: "https://a.example/xapi", key: "k", secret: "s", home_page: "https://uni.example")"#),
            &[("ATTUNE_LRS_SECRET", "from-env"), ("ATTUNE_LRS_ENDPOINT", "http://127.0.0.1:9/x")],
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.secret, "from-env");
        assert_eq!(c.endpoint, "http://127.0.0.1:9/x");
        assert_eq!(c.home_page, "https://uni.example");
        assert_eq!(c.activity_base, "https://uni.example/attune");
    }

    #[test]
    fn a_half_configured_store_names_what_is_missing() {
        let e = from(None, &[("ATTUNE_LRS_ENDPOINT", "https://lrs.example/xapi")]).unwrap_err();
        assert!(e.contains("key, secret missing"), "{e}");
        let e = from(Some(r#"(key: "k")"#), &[]).unwrap_err();
        assert!(e.contains("endpoint, secret missing"), "{e}");
        // An empty file is a configuration too: the person meant to set one up.
        assert!(
            from(Some("()"), &[])
                .unwrap_err()
                .contains("endpoint, key, secret")
        );
    }

    #[test]
    fn malformed_files_and_urls_are_refused_with_the_reason() {
        let e = from(Some(r#"(endpoint: "https://a.example", kee: "k")"#), &[]).unwrap_err();
        assert!(e.starts_with("lrs.ron:") && e.contains("kee"), "{e}");
        for bad in [
            "ftp://a.example/xapi",
            "https:///xapi",
            "https://u:p@a.example/",
            "lrs.example",
        ] {
            let e = from(
                None,
                &[
                    ("ATTUNE_LRS_ENDPOINT", bad),
                    ("ATTUNE_LRS_KEY", "k"),
                    ("ATTUNE_LRS_SECRET", "s"),
                ],
            )
            .unwrap_err();
            assert!(
                e.starts_with("the variable ATTUNE_LRS_ENDPOINT: endpoint `"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn home_page_values_that_are_not_iris_are_refused() {
        for bad in ["x{y}", "a|b", "%zz", "http://[::1"] {
            let file = format!(
                r#"(endpoint: "https://lrs.example/xapi/", key: "k", secret: "s", home_page: "{bad}")"#
            );
            let e = from(Some(&file), &[]).unwrap_err();
            assert!(
                e.starts_with(&format!("lrs.ron: home_page `{bad}` ")),
                "{bad}: {e}"
            );
            // The same from a variable names the variable.
            let e = from(
                Some(r#"(endpoint: "https://lrs.example/xapi/", key: "k", secret: "s")"#),
                &[("ATTUNE_LRS_HOME_PAGE", bad)],
            )
            .unwrap_err();
            assert!(
                e.starts_with("the variable ATTUNE_LRS_HOME_PAGE: home_page"),
                "{bad}: {e}"
            );
        }
        let e = from(
            Some(r#"(endpoint: "https://lrs.example/xapi/", key: "k", secret: "s", activity_base: "https://uni.example/a b")"#),
            &[],
        )
        .unwrap_err();
        assert!(e.starts_with("lrs.ron: activity_base `"), "{e}");
    }

    #[test]
    fn keys_and_secrets_that_basic_authentication_cannot_carry_are_refused() {
        let e = from(
            Some(r#"(endpoint: "https://lrs.example/xapi/", key: "a:b", secret: "s")"#),
            &[],
        )
        .unwrap_err();
        assert!(e.starts_with("lrs.ron: key has a colon"), "{e}");
        let e = from(
            Some(r#"(endpoint: "https://lrs.example/xapi/", key: "k", secret: "s\nX-Evil: 1")"#),
            &[],
        )
        .unwrap_err();
        assert!(
            e.starts_with("lrs.ron: secret has a control character"),
            "{e}"
        );
    }

    #[test]
    fn plain_http_to_another_host_is_told_apart_from_loopback_and_https() {
        let warning = |endpoint: &str| {
            from(
                None,
                &[
                    ("ATTUNE_LRS_ENDPOINT", endpoint),
                    ("ATTUNE_LRS_KEY", "k"),
                    ("ATTUNE_LRS_SECRET", "s"),
                ],
            )
            .unwrap()
            .unwrap()
            .plain_http_warning()
        };
        for local in [
            "http://127.0.0.1:8100/xapi/",
            "http://127.1.2.3/xapi/",
            "http://localhost:8100/xapi/",
            "http://[::1]:8100/xapi/",
            "https://lrs.example/xapi/",
        ] {
            assert_eq!(warning(local), None, "{local}");
        }
        for remote in [
            "http://lrs.example/xapi/",
            "HTTP://10.0.0.7:8080/xapi",
            "http://[2001:db8::1]/x",
        ] {
            let w = warning(remote).expect(remote);
            assert!(
                w.contains("plain http://") && w.contains("ATTUNE_LRS_ENDPOINT"),
                "{w}"
            );
        }
    }
}
