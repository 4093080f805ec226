//! Exports and the rapor over HTTP: the bearer token is required, an export
//! holds exactly what the caller may read, and the rapor is a PDF.

use serde_json::json;

use crate::server::{
    Server, Upload, assert_needs_a_token, get, graphql_as, login, multipart, post_upload,
};

#[tokio::test]
async fn exports_and_the_rapor_need_a_token_and_keep_to_the_callers_reach() {
    let server = Server::start_demo();
    assert_needs_a_token(&server, "/export/action-items.csv").await;

    let rsud = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql_as(&server, &rsud, "{ actionItems { totalCount } }").await;
    let visible = body["data"]["actionItems"]["totalCount"].as_u64().unwrap();

    let csv = get(&server, Some(&rsud), "/export/action-items.csv").await;
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

    let xlsx = get(&server, Some(&rsud), "/export/opds.xlsx").await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");

    let bad = get(
        &server,
        Some(&rsud),
        "/export/action-items.csv?dueFrom=yesterday",
    )
    .await;
    assert_eq!(bad.status(), 400);

    let sekda = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql_as(
        &server,
        &sekda,
        "{ districts(first: 1) { nodes { id name } } }",
    )
    .await;
    let district = body["data"]["districts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rapor = format!("/report/district/{district}.pdf");
    let pdf = get(&server, Some(&sekda), &rapor).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Another district's coordinator gets no rapor of Mamuju Tengah.
    let other = login(&server, "sekda@mamuju.example", "pendamping-demo").await;
    let hidden = get(&server, Some(&other), &rapor).await;
    assert_eq!(hidden.status(), 404);
}

/// The `importSpreadsheet` upload of a spreadsheet of `kind`: the file
/// `file_name` of `media_type` holding `bytes`.
fn import_upload(
    kind: &str,
    dry_run: bool,
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> Upload {
    multipart(
        json!({
            "query": "mutation($input: ImportSpreadsheetInput!) { importSpreadsheet(input: $input) { applied created updated unchanged problems { row column code messageId messageEn } userErrors { field message code } } }",
            "variables": { "input": { "kind": kind, "file": null, "dryRun": dry_run } }
        }),
        file_name,
        media_type,
        bytes,
    )
}

/// The `importSpreadsheet` upload of an OPD list as CSV.
fn upload(dry_run: bool, csv: &str) -> Upload {
    import_upload("OPDS", dry_run, "opd.csv", "text/csv", csv.as_bytes())
}

#[tokio::test]
async fn a_coordinator_imports_an_opd_list_by_upload_once() {
    let server = Server::start_demo();
    let sekda = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let csv = "Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\n\
               Kabupaten Mamuju Tengah,Dinas Uji Impor Satu,DUIS,Dinas,Kepala Dinas\n\
               Kabupaten Mamuju Tengah,Kecamatan Uji Impor Dua,,Kecamatan,Camat\n";
    let mut answers = Vec::new();
    for dry_run in [true, false, false] {
        let (status, body) = post_upload(&server, &sekda, upload(dry_run, csv)).await;
        assert_eq!(status, 200);
        answers.push(body["data"]["importSpreadsheet"].clone());
    }
    assert_eq!(answers[0]["applied"], false, "{answers:?}");
    assert_eq!(answers[0]["created"], 2);
    assert_eq!(answers[1]["applied"], true, "{answers:?}");
    assert_eq!(answers[1]["created"], 2);
    assert_eq!(
        answers[2]["created"], 0,
        "the second import changes nothing"
    );
    assert_eq!(answers[2]["unchanged"], 2);

    let bad = "Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\n\
               Kabupaten Mamuju Tengah,Dinas Perikanan,,Planet,\n";
    let (_, response) = post_upload(&server, &sekda, upload(false, bad)).await;
    let answer = &response["data"]["importSpreadsheet"];
    assert_eq!(answer["applied"], false);
    assert_eq!(answer["problems"][0]["row"], 2);
    assert_eq!(answer["problems"][0]["column"], "Jenis");
    assert_eq!(answer["problems"][0]["code"], "UNKNOWN_KIND");
}

#[tokio::test]
async fn each_kinds_template_downloads_with_a_token_and_its_example_imports() {
    let server = Server::start_demo();
    assert_needs_a_token(&server, "/templates/scores.xlsx").await;
    let assessor = login(&server, "asisten@sulbar.example", "pendamping-demo").await;
    let unknown = get(&server, Some(&assessor), "/templates/planets.xlsx").await;
    assert_eq!(unknown.status(), 404);
    for (slug, kind) in [
        ("opds", "OPDS"),
        ("scores", "SCORES"),
        ("findings", "FINDINGS"),
    ] {
        let response = get(&server, Some(&assessor), &format!("/templates/{slug}.xlsx")).await;
        assert_eq!(response.status(), 200, "{slug}");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");
        let file_name = format!("{slug}.xlsx");
        let upload = import_upload(kind, true, &file_name, "application/octet-stream", &bytes);
        let (_, answer) = post_upload(&server, &assessor, upload).await;
        let answer = &answer["data"]["importSpreadsheet"];
        if slug == "opds" {
            // The assessor reads the district but may not manage its OPDs.
            assert_eq!(answer["problems"][0]["code"], "FORBIDDEN", "{answer}");
        } else {
            assert_eq!(answer["problems"], json!([]), "{slug}: {answer}");
            assert_eq!(answer["created"], 1, "{slug}: {answer}");
            assert_eq!(answer["applied"], false, "a dry run");
        }
    }
}
