//! Evidence over HTTP: a multipart upload by the OPD's officer, its hash, its
//! download within scope, and refusal outside it.

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::server::{self, Server, Upload, first_open_item, graphql, login, post_upload};

pub(crate) const PDF: &[u8] =
    b"%PDF-1.4\n% Pendamping test: SOP pengaduan RSUD Mamuju Tengah\n%%EOF\n";

/// The `addEvidence` upload to `item` of `bytes` as the file `filename` of
/// `media_type`, the evidence named `name`.
pub(crate) fn evidence_upload(
    item: &str,
    name: &str,
    filename: &str,
    media_type: &str,
    bytes: &[u8],
) -> Upload {
    server::multipart(
        json!({
            "query": "mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id name mediaType sizeBytes sha256 downloadPath } userErrors { field message code } } }",
            "variables": { "input": { "actionItemId": item, "file": null, "name": name } }
        }),
        filename,
        media_type,
        bytes,
    )
}

/// The `addEvidence` upload of [`PDF`] as `sop.pdf` to `item`.
pub(crate) fn multipart(item: &str) -> Upload {
    evidence_upload(item, "SOP Pengaduan.pdf", "sop.pdf", "application/pdf", PDF)
}

#[tokio::test]
async fn an_opd_officer_uploads_evidence_that_only_its_scope_can_download() {
    let server = Server::start_demo();
    let rsud = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let item = first_open_item(&server, &rsud).await;

    let (status, body) = post_upload(&server, &rsud, multipart(&item)).await;
    assert_eq!(status, 200);
    let client = reqwest::Client::new();
    let added = &body["data"]["addEvidence"];
    assert_eq!(added["userErrors"], json!([]), "{body}");
    let evidence = &added["evidence"];
    let expected: String = Sha256::digest(PDF)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(evidence["sha256"], expected);
    assert_eq!(evidence["sizeBytes"], PDF.len());
    assert_eq!(evidence["mediaType"], "application/pdf");
    let path = evidence["downloadPath"].as_str().unwrap();

    let download = |token: String| {
        let client = client.clone();
        let url = server.url(path);
        async move {
            client
                .get(url)
                .header("authorization", format!("Bearer {token}"))
                .send()
                .await
                .unwrap()
        }
    };
    let own = download(rsud.clone()).await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(own.headers()["x-content-type-options"], "nosniff");
    let disposition = own.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"")
            && disposition.contains("filename*=UTF-8''"),
        "{disposition}"
    );
    assert_eq!(own.bytes().await.unwrap().as_ref(), PDF);

    let sekda = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    assert_eq!(
        download(sekda).await.status(),
        200,
        "the district's coordinator may read it"
    );
    let other_district = login(&server, "sekda@mamuju.example", "pendamping-demo").await;
    assert_eq!(
        download(other_district).await.status(),
        404,
        "another district may not"
    );
    let dukcapil = login(&server, "dukcapil@mamujutengah.example", "pendamping-demo").await;
    assert_eq!(
        download(dukcapil).await.status(),
        404,
        "another OPD may not"
    );
    let anonymous = client.get(server.url(path)).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    // Another OPD's officer cannot add evidence to the RSUD's item.
    let dukcapil = login(&server, "dukcapil@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql(
        &server,
        Some(&dukcapil),
        "mutation($i: ID!) { addEvidence(input: { actionItemId: $i, url: \"https://example.org/x\", name: \"x\" }) { userErrors { code } } }",
        json!({"i": item}),
    )
    .await;
    assert_eq!(
        body["data"]["addEvidence"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body}"
    );
}
