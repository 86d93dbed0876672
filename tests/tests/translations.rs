//! Translations over HTTP with core: `GET /api/translations/` serves the running modules'
//! catalogues in the user's language (English for anonymous users and for missing keys), and
//! module errors whose message is a catalogue key come back translated; `changeUserLanguage`
//! switches both.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

/// `GET /api/translations/`, with a Bearer token when given: (status, Content-Language, body).
async fn translations<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
) -> (u16, String, Value) {
    let mut request = web_test::TestRequest::get().uri("/api/translations/");
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let response = web_test::call_service(app, request.to_request()).await;
    let language = response
        .headers()
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, body) = json_of(response).await;
    (status, language, body)
}

const REVOKE: &str = r#"mutation { revokeToken(refreshToken: "x") { revoked } }"#;

fn change_language(language: &str, id: &str) -> String {
    format!(
        r#"mutation {{ changeUserLanguage(input: {{ clientMutationId: "{id}", languageId: "{language}" }}) {{ internalId }} }}"#
    )
}

#[actix_rt::test]
async fn a_french_user_gets_french_messages_and_english_after_changing_language() {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .expect("core starts");
    let (_rt, app) = service(runtime).await;

    // Anonymous: the default language.
    let (status, language, body) = translations(&app, None).await;
    assert_eq!((status, language.as_str()), (200, "en"), "{body}");
    assert_eq!(
        body["mutation.authentication_required"],
        "Authentication required"
    );
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request(REVOKE, json!(null))).await).await;
    assert_eq!(body["errors"][0]["message"], "Invalid refresh token");

    let token = login(&app, "Admin", "admin123").await;
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_as(&change_language("fr", "fr-1"), json!(null), &token),
        )
        .await,
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");

    let (status, language, body) = translations(&app, Some(&token)).await;
    assert_eq!((status, language.as_str()), (200, "fr"), "{body}");
    assert_eq!(
        body["mutation.authentication_required"],
        "Authentification requise"
    );
    assert_eq!(
        body["core.mutation.failed_to_update_user_language"],
        "Failed to change the user's language",
        "a key French lacks falls back to English"
    );
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_as(REVOKE, json!(null), &token)).await).await;
    assert_eq!(
        body["errors"][0],
        json!({
            "message": "Jeton de rafraîchissement invalide",
            "locations": [{"line": 1, "column": 12}],
            "path": ["revokeToken"],
            "extensions": {"code": "INVALID_REFRESH_TOKEN", "module": "core"}
        })
    );

    json_of(
        web_test::call_service(
            &app,
            graphql_as(&change_language("en", "en-1"), json!(null), &token),
        )
        .await,
    )
    .await;
    let (_, language, body) = translations(&app, Some(&token)).await;
    assert_eq!(language, "en");
    assert_eq!(
        body["mutation.authentication_required"],
        "Authentication required"
    );
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_as(REVOKE, json!(null), &token)).await).await;
    assert_eq!(body["errors"][0]["message"], "Invalid refresh token");
}

#[actix_rt::test]
async fn messages_the_frontend_matches_stay_untranslated_and_a_bad_token_is_refused() {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .expect("core starts");
    let (_rt, app) = service(runtime).await;
    // The frontend logs out on exactly `unauthorized`, in any language.
    let request = web_test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Accept-Language", "fr-FR,fr;q=0.9"))
        .set_json(json!({"query": "{ role { totalCount } }"}))
        .to_request();
    let (_, body) = json_of(web_test::call_service(&app, request).await).await;
    assert_eq!(body["errors"][0]["message"], "unauthorized", "{body}");

    let (status, _, body) = translations(&app, Some("not-a-token")).await;
    assert_eq!(status, 401, "{body}");
}
