//! The benchmark inputs are what they claim to be: the valid mix validates,
//! every body of the invalid mix fails, the image body is a valid Veo request
//! with a 100 KB data URI, and the generators are deterministic.

use orux_benches::{mix, synthetic_spec};
use orux_models::TaskRequest;
use orux_spec_tests::corpus;

#[test]
fn the_valid_mix_is_valid_and_covers_every_model() {
    let bodies = mix::valid_bodies(512, 1);
    let mut models = std::collections::BTreeSet::new();
    for body in &bodies {
        match TaskRequest::from_json(body) {
            Ok(valid) => {
                assert!(
                    valid.warnings.is_empty(),
                    "{}",
                    String::from_utf8_lossy(body)
                );
                models.insert(valid.request.model());
            }
            Err(errors) => panic!("{}: {:?}", String::from_utf8_lossy(body), errors.errors),
        }
    }
    assert_eq!(models.len(), orux_models::Model::ALL.len());
    assert_eq!(bodies, mix::valid_bodies(512, 1), "deterministic");
}

#[test]
fn every_body_of_the_invalid_mix_fails_with_field_paths() {
    let bodies = mix::invalid_bodies(512, 2);
    let mut errors_seen = 0;
    for body in &bodies {
        let errors = TaskRequest::from_json(body)
            .map(|_| ())
            .expect_err(&String::from_utf8_lossy(body));
        assert!(
            errors.errors.iter().all(|e| e.path.starts_with('/')),
            "{}: {:?}",
            String::from_utf8_lossy(body),
            errors.errors
        );
        errors_seen += errors.errors.len();
    }
    // One to three mistakes each: clearly more than one error per body on average.
    assert!(errors_seen > bodies.len() * 3 / 2, "{errors_seen} errors");
}

#[test]
fn the_image_body_is_a_valid_veo_request_of_about_100_kb() {
    let body = mix::image_body(3);
    assert!(
        (100_000..110_000).contains(&body.len()),
        "{} bytes",
        body.len()
    );
    let valid = TaskRequest::from_json(&body).expect("valid");
    assert_eq!(valid.request.model(), orux_models::Model::Veo31Quality);
}

#[test]
fn the_realistic_mix_has_its_stated_proportions() {
    let bodies = mix::realistic_mix(1000, 4);
    let valid = bodies
        .iter()
        .filter(|b| TaskRequest::from_json(b).is_ok())
        .count();
    let images = bodies.iter().filter(|b| b.len() > 100_000).count();
    assert_eq!(bodies.len(), 1000);
    assert_eq!(valid, 910, "900 small valid bodies and 10 images");
    assert_eq!(images, 10);
}

#[test]
fn the_corpus_loads_with_its_verdicts() {
    let cases = corpus::load();
    assert!(cases.len() > 300, "{} cases", cases.len());
    for case in &cases {
        assert_eq!(
            TaskRequest::from_json(&case.body).is_ok(),
            case.valid,
            "{}",
            case.name
        );
    }
}

#[test]
fn a_synthetic_spec_of_100_models_generates() {
    let real = synthetic_spec::real().unwrap();
    let spec = synthetic_spec::with_models(&real, 100).unwrap();
    let ir = orux_codegen::load(&spec, "synthetic.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ir.models.len(), 100);
    let files = orux_codegen::generate(&spec, "synthetic.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert!(files.iter().any(|f| f.path.ends_with("models/sora2_s5.rs")));
}

#[test]
fn the_json_schema_peer_gives_the_same_verdicts_on_the_mixes() {
    // Otherwise the benchmark would compare unlike work.
    let bundle = orux_benches::schema::bundle()
        .expect("the JSON Schema bundle is generated")
        .unwrap();
    let validator = orux_benches::schema::compile(&bundle).unwrap();
    let mut bodies = mix::valid_bodies(512, 1);
    bodies.extend(mix::invalid_bodies(512, 2));
    bodies.push(mix::image_body(3));
    for body in &bodies {
        assert_eq!(
            orux_benches::schema::is_valid(&validator, body),
            TaskRequest::from_json(body).is_ok(),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}
