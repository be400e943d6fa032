//! The Statement resource over HTTP(S): a batch POST or a single PUT, and what the store's
//! answer means for the statements sent.

use std::time::Duration;

use base64::Engine;

use super::config::LrsConfig;
use super::statements::XAPI_VERSION;

/// What became of a request, for the statements in it.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Stored (or already stored and identical).
    Stored,
    /// 409: the store already has a statement with such an id. For a batch, nothing of it
    /// was stored; for one statement, it is there.
    Conflict,
    /// The statements themselves were refused (400, 413, ...): resending cannot help.
    Rejected(String),
    /// The store could not take them now (down, overloaded, refusing our credentials, moved):
    /// they stay queued, for as long as it takes.
    Retry(String),
    /// 500: the store took them and failed on them. It may be the store, or something in a
    /// statement it cannot handle (Ralph answers 500 to an actor whose `homePage` is not an
    /// IRI): tried again, up to the retry limit.
    ServerError(String),
}

pub struct Client {
    agent: ureq::Agent,
    url: String,
    authorization: String,
}

impl Client {
    /// A client whose every request gives up after `timeout`.
    pub fn new(cfg: &LrsConfig, timeout: Duration) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // A redirect of a POST is a configuration problem to report, not to follow.
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .user_agent(concat!("attune/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", cfg.key, cfg.secret));
        Client {
            agent,
            url: cfg.statements_url(),
            authorization: format!("Basic {token}"),
        }
    }

    /// POSTs a JSON array of statements.
    pub fn post(&self, batch: &str) -> Answer {
        let request = self
            .agent
            .post(&self.url)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .header("Authorization", &self.authorization);
        answer(request.send(batch))
    }

    /// PUTs one statement under its id.
    pub fn put(&self, id: &str, statement: &str) -> Answer {
        let request = self
            .agent
            .put(&self.url)
            .query("statementId", id)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Content-Type", "application/json")
            .header("Authorization", &self.authorization);
        answer(request.send(statement))
    }

    /// GETs a page of statements (the Statement resource with a query, or a `more` link
    /// resolved to a URL) and returns its JSON; any status but 200 is an error that says it.
    pub fn get_json(&self, url: &str) -> Result<serde_json::Value, String> {
        let request = self
            .agent
            .get(url)
            .header("X-Experience-API-Version", XAPI_VERSION)
            .header("Authorization", &self.authorization);
        let mut response = request.call().map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{url}: {e}"))?;
        if status != 200 {
            let said: String = body.trim().chars().take(300).collect();
            return Err(format!("{url}: HTTP {status} {said}")
                .trim_end()
                .to_string());
        }
        serde_json::from_str(&body).map_err(|e| format!("{url}: not a JSON answer: {e}"))
    }
}

fn answer(sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    match sent {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .map(str::to_string);
            let body = response.body_mut().read_to_string().unwrap_or_default();
            classify(status, &body, location.as_deref())
        }
        Err(e) => Answer::Retry(e.to_string()),
    }
}

/// The meaning of a status for the statements sent.
pub fn classify(status: u16, body: &str, location: Option<&str>) -> Answer {
    let said = || {
        let text: String = body.trim().chars().take(300).collect();
        if text.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {text}")
        }
    };
    match status {
        200..=299 => Answer::Stored,
        409 => Answer::Conflict,
        300..=399 => Answer::Retry(format!(
            "HTTP {status}: the endpoint moved{}; correct it in the configuration",
            location.map_or(String::new(), |l| format!(" to {l}"))
        )),
        // Wrong credentials, endpoint or permissions, a timeout, too many requests: about
        // the store or the configuration, not the statements, which stay queued.
        401 | 403 | 404 | 405 | 407 | 408 | 429 => Answer::Retry(said()),
        400..=499 => Answer::Rejected(said()),
        500 => Answer::ServerError(said()),
        // 502, 503, 504: the store is not there; 501, 505: the endpoint is wrong.
        _ => Answer::Retry(said()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_mean_what_the_xapi_specification_says() {
        assert_eq!(classify(200, "[\"a\"]", None), Answer::Stored);
        assert_eq!(classify(204, "", None), Answer::Stored);
        assert_eq!(classify(409, "", None), Answer::Conflict);
        assert_eq!(
            classify(400, " bad actor \n", None),
            Answer::Rejected("HTTP 400: bad actor".into())
        );
        assert_eq!(classify(413, "", None), Answer::Rejected("HTTP 413".into()));
        assert_eq!(
            classify(500, "{\"detail\":\"failed\"}", None),
            Answer::ServerError("HTTP 500: {\"detail\":\"failed\"}".into())
        );
        for kept in [401, 403, 404, 429, 502, 503, 504] {
            assert!(
                matches!(classify(kept, "", None), Answer::Retry(_)),
                "{kept}"
            );
        }
        let Answer::Retry(m) = classify(301, "", Some("https://lrs.example/xapi/statements"))
        else {
            panic!("a redirect keeps the statements");
        };
        assert!(m.contains("moved to https://lrs.example"), "{m}");
    }
}
