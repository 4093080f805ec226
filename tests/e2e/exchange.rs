//! Exports and the rapor over HTTP: the bearer token is required, an export
//! holds exactly what the caller may read, and the rapor is a PDF.

use serde_json::json;

use crate::server::{Server, graphql, login};

#[tokio::test]
async fn exports_and_the_rapor_need_a_token_and_keep_to_the_callers_reach() {
    let server = Server::start_demo();
    let client = reqwest::Client::new();
    let refused = client
        .get(server.url("/export/action-items.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let rsud = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql(
        &server,
        Some(&rsud),
        "{ actionItems { totalCount } }",
        json!({}),
    )
    .await;
    let visible = body["data"]["actionItems"]["totalCount"].as_u64().unwrap();

    let csv = client
        .get(server.url("/export/action-items.csv"))
        .bearer_auth(&rsud)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("action-items.csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("Kabupaten/Kota"));
    assert_eq!(lines.len() as u64 - 1, visible, "{text}");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("Rumah Sakit Umum Daerah Mamuju Tengah"))
    );

    let xlsx = client
        .get(server.url("/export/opds.xlsx"))
        .bearer_auth(&rsud)
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");

    let bad = client
        .get(server.url("/export/action-items.csv?dueFrom=yesterday"))
        .bearer_auth(&rsud)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    let sekda = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql(
        &server,
        Some(&sekda),
        "{ districts(first: 1) { nodes { id name } } }",
        json!({}),
    )
    .await;
    let district = body["data"]["districts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = client
        .get(server.url(&format!("/report/district/{district}.pdf")))
        .bearer_auth(&sekda)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Another district's coordinator gets no rapor of Mamuju Tengah.
    let other = login(&server, "sekda@mamuju.example", "pendamping-demo").await;
    let hidden = client
        .get(server.url(&format!("/report/district/{district}.pdf")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404);
}
