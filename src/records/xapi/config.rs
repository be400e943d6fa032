//! Which learning record store to send to, if any: `lrs.ron` in the data folder, with the
//! `ATTUNE_LRS_*` environment variables taking precedence field by field. Nothing set
//! anywhere means no store, and then Attune never opens a connection.

use std::path::Path;

use serde::Deserialize;

/// The file beside `records.sqlite` that configures the store.
pub const FILE_NAME: &str = "lrs.ron";

/// A configured learning record store.
#[derive(Clone, Debug, PartialEq)]
pub struct LrsConfig {
    /// The xAPI endpoint, e.g. `https://lrs.example.edu/xapi/`; statements go to `statements` under it.
    pub endpoint: String,
    pub key: String,
    pub secret: String,
    /// The `homePage` of learners' accounts: the system their ids belong to.
    pub home_page: String,
    /// Where activity ids (scenarios, turns, packs) are rooted.
    pub activity_base: String,
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
        let text = crate::scenario::read_optional_text(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .map(|t| (path.display().to_string(), t));
        LrsConfig::from_sources(
            text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
            &env_var,
        )
    }

    /// The configuration from a file's text (named for messages) and a variable lookup.
    pub fn from_sources(
        file: Option<(&str, &str)>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<LrsConfig>, String> {
        let mut f = match file {
            Some((name, text)) => crate::ron_options()
                .from_str::<Fields>(text)
                .map_err(|e| format!("{name}: {e}"))?,
            None => Fields::default(),
        };
        for (var, field) in [
            ("ATTUNE_LRS_ENDPOINT", &mut f.endpoint),
            ("ATTUNE_LRS_KEY", &mut f.key),
            ("ATTUNE_LRS_SECRET", &mut f.secret),
            ("ATTUNE_LRS_HOME_PAGE", &mut f.home_page),
            ("ATTUNE_LRS_ACTIVITY_BASE", &mut f.activity_base),
        ] {
            if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
                *field = Some(v);
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
        let endpoint = f.endpoint.unwrap_or_default().trim().to_string();
        let origin = http_origin(&endpoint).map_err(|e| format!("endpoint: {e}"))?;
        // Without a home page the store's own site names the accounts: better than none,
        // and stable as long as the store is.
        let home_page = f.home_page.map_or(origin, |h| h.trim().to_string());
        http_origin(&home_page).map_err(|e| format!("home_page: {e}"))?;
        let activity_base = match f.activity_base {
            Some(b) => b.trim().trim_end_matches('/').to_string(),
            None => format!("{}/attune", home_page.trim_end_matches('/')),
        };
        http_origin(&activity_base).map_err(|e| format!("activity_base: {e}"))?;
        Ok(Some(LrsConfig {
            endpoint,
            key: f.key.unwrap_or_default(),
            secret: f.secret.unwrap_or_default(),
            home_page,
            activity_base,
        }))
    }

    /// The Statement resource.
    pub fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint.trim_end_matches('/'))
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Checks an http(s) URL and returns its origin (`scheme://host[:port]`).
pub fn http_origin(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .map(|r| ("https", r))
        .or_else(|| url.strip_prefix("http://").map(|r| ("http", r)));
    let Some((scheme, rest)) = rest else {
        return Err(format!("`{url}` is not an http:// or https:// URL"));
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.contains('#') {
        return Err(format!("`{url}` has spaces or a fragment"));
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    // Credentials belong in key and secret, not in a URL that may be printed.
    if authority.contains('@') {
        return Err(format!("`{url}` has credentials in it; use key and secret"));
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.parse::<u16>().is_ok() {
            h
        } else {
            authority
        }
    });
    if host.is_empty() || host.starts_with('.') {
        return Err(format!("`{url}` has no host"));
    }
    Ok(format!("{scheme}://{authority}"))
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
            assert!(e.starts_with("endpoint:"), "{bad}: {e}");
        }
    }
}
