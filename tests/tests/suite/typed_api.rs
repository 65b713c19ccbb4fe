//! The typed API a Rust service uses: constructors, defaults, serialization,
//! and the serde path's own checks.

use orux_models::{
    AspectRatio, AspectRatioNoSquare, Duration5Or10, Duration8, HttpsUrl, ImageError, ImageInput,
    Model, RunwayGen3AlphaTurboRequest, Sora2Request, TaskRequest, Veo31QualityRequest,
    VeoResolution,
};

#[test]
fn accessors_apply_documented_defaults_without_serializing_them() {
    let request = Veo31QualityRequest::new("A fox in a moonlit forest");
    assert_eq!(request.duration(), Duration8::Seconds8);
    assert_eq!(request.resolution(), VeoResolution::Res1080p);
    assert_eq!(request.aspect_ratio(), AspectRatio::Ratio16_9);
    assert!(request.audio());
    let json = TaskRequest::from(request).to_json().expect("serializes");
    assert_eq!(
        json,
        r#"{"model":"veo-3.1-quality","prompt":"A fox in a moonlit forest"}"#
    );
}

#[test]
fn set_fields_serialize_with_their_wire_types() {
    let mut request = Sora2Request::new("x");
    request.duration = Some(Duration5Or10::Seconds10);
    request.aspect_ratio = Some(AspectRatioNoSquare::Ratio9_16);
    request.webhook_url = Some(HttpsUrl::parse("https://your.app/hook").expect("valid"));
    let json = TaskRequest::from(request.clone())
        .to_json()
        .expect("serializes");
    assert_eq!(
        json,
        r#"{"model":"sora2","prompt":"x","duration":10,"aspect_ratio":"9:16","webhook_url":"https://your.app/hook"}"#
    );
    let back = TaskRequest::from_json(json.as_bytes()).expect("valid");
    assert_eq!(back.request, TaskRequest::Sora2(request));
    assert_eq!(back.request.model(), Model::Sora2);
}

#[test]
fn required_fields_are_constructor_arguments() {
    let image = HttpsUrl::parse("https://example.com/a.png").expect("valid");
    let request = RunwayGen3AlphaTurboRequest::new("pan across", image.clone());
    assert_eq!(request.image_url, image);
    assert_eq!(request.duration(), Duration5Or10::Seconds5);
}

#[test]
fn image_inputs_round_trip_in_all_three_shapes() {
    for (image, json) in [
        (
            ImageInput::parse("https://example.com/a.png").expect("url"),
            r#""https://example.com/a.png""#,
        ),
        (
            ImageInput::parse("data:image/png;base64,iVBORw0KGgo=").expect("data uri"),
            r#""data:image/png;base64,iVBORw0KGgo=""#,
        ),
        (
            ImageInput::task("img_123").expect("non-empty"),
            r#"{"task_id":"img_123"}"#,
        ),
    ] {
        let mut request = Veo31QualityRequest::new("p");
        request.image = Some(image);
        let body = TaskRequest::from(request.clone())
            .to_json()
            .expect("serializes");
        assert!(body.ends_with(&format!(r#""image":{json}}}"#)), "{body}");
        let back = TaskRequest::from_json(body.as_bytes()).expect("valid");
        assert_eq!(back.request, TaskRequest::Veo31Quality(request));
    }
    assert!(ImageInput::task("").is_none());
}

/// `serde_json::from_str::<TaskRequest>` is a shape check: it too rejects
/// unknown fields, nulls, values outside a set and non-https URLs.
#[test]
fn the_serde_path_rejects_what_the_types_cannot_hold() {
    for body in [
        r#"{"model":"sora2","prompt":"x","bogus":1}"#,
        r#"{"model":"sora2","prompt":"x","duration":null}"#,
        r#"{"model":"sora2","prompt":"x","duration":8}"#,
        r#"{"model":"sora2","prompt":"x","duration":"5"}"#,
        r#"{"model":"sora2","prompt":"x","aspect_ratio":"1:1"}"#,
        r#"{"model":"sora2","prompt":"x","webhook_url":"http://x.com"}"#,
        r#"{"model":"sora-2-pro","prompt":"x"}"#,
        r#"{"model":"veo-3.1-fast","prompt":"x","image":{"task_id":""}}"#,
    ] {
        assert!(
            serde_json::from_str::<TaskRequest>(body).is_err(),
            "accepted {body}"
        );
    }
    let ok: TaskRequest =
        serde_json::from_str(r#"{"prompt":"x","duration":5.0,"model":"sora2"}"#).expect("valid");
    // The request structs are `#[non_exhaustive]`: build with `new`, then set.
    let mut expected = Sora2Request::new("x");
    expected.duration = Some(Duration5Or10::Seconds5);
    assert_eq!(ok, TaskRequest::Sora2(expected));
}

#[test]
fn model_ids_parse_with_suggestions() {
    assert_eq!("hailuo-02".parse::<Model>(), Ok(Model::Hailuo02));
    let unknown = "sora-2-pro".parse::<Model>().expect_err("unknown");
    assert_eq!(unknown.suggestion, Some("sora2"));
    assert_eq!(
        unknown.to_string(),
        r#"unknown model "sora-2-pro"; did you mean "sora2"?"#
    );
    // A known id without its suffix suggests that id, not a near one.
    let short = "runway-gen3".parse::<Model>().expect_err("unknown");
    assert_eq!(short.suggestion, Some("runway-gen3-alpha-turbo"));
    assert_eq!(Model::ALL.len(), orux_models::catalog::MODELS.len());
    for model in Model::ALL {
        assert_eq!(model.info().id, model.id());
        assert_eq!(Model::from_id(model.id()), Some(model));
    }
}

/// Every model of `models.yaml`, with every parameter of its table in the
/// order written, then the shared parameters added to every model
/// (`every_model: true`, such as `webhook_url`). The spec is read here as a
/// plain YAML tree, not through the generator's checks, so this holds the
/// generated catalog to the file as written.
#[test]
fn the_catalog_holds_every_parameter_of_the_spec() {
    use orux_codegen::yaml::{Located, Node};
    fn map(node: &Located<Node>) -> &[(Located<String>, Located<Node>)] {
        match &node.value {
            Node::Map(entries) => entries,
            other => panic!("expected a mapping, found {}", other.kind()),
        }
    }
    fn get<'a>(node: &'a Located<Node>, key: &str) -> Option<&'a Located<Node>> {
        map(node)
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| v)
    }
    let text = orux_spec_tests::spec_cases::spec_text();
    let tree = orux_codegen::yaml::parse(&text, usize::MAX).expect("models.yaml parses");
    let every_model: Vec<&str> = get(&tree, "shared_params")
        .map(map)
        .unwrap_or_default()
        .iter()
        .filter(|(_, param)| get(param, "every_model").is_some_and(|v| v.value == Node::Bool(true)))
        .map(|(name, _)| name.value.as_str())
        .collect();
    assert!(
        !every_model.is_empty(),
        "webhook_url is shared by every model"
    );
    let expected: Vec<(&str, Vec<&str>)> = map(get(&tree, "models").expect("models"))
        .iter()
        .map(|(id, model)| {
            let params = map(get(model, "params").expect("params"));
            let names = params.iter().map(|(name, _)| name.value.as_str());
            (
                id.value.as_str(),
                names.chain(every_model.iter().copied()).collect(),
            )
        })
        .collect();
    let actual: Vec<(&str, Vec<&str>)> = orux_models::catalog::MODELS
        .iter()
        .map(|m| (m.id, m.fields.iter().map(|f| f.name).collect()))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn image_input_from_str_and_try_from_agree_with_parse() {
    for text in [
        "https://example.com/cat.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "http://example.com/cat.png",
        "data:text/plain;base64,aGk=",
        "",
    ] {
        let parsed = ImageInput::parse(text);
        assert_eq!(text.parse::<ImageInput>(), parsed, "{text}");
        assert_eq!(ImageInput::try_from(text), parsed, "{text}");
        assert_eq!(ImageInput::try_from(text.to_owned()), parsed, "{text}");
    }
    assert!(matches!(
        "https://example.com/cat.png".parse(),
        Ok(ImageInput::Url(_))
    ));
    assert!(matches!(
        "data:image/png;base64,iVBORw0KGgo=".parse(),
        Ok(ImageInput::DataUri(_))
    ));
    assert!(matches!(
        "data:text/plain;base64,aGk=".parse::<ImageInput>(),
        Err(ImageError::DataUri(_))
    ));
    assert!(matches!(
        "http://example.com/cat.png".parse::<ImageInput>(),
        Err(ImageError::Url(_))
    ));
}

#[test]
fn value_sets_parse_their_plain_text() {
    use orux_models::UnknownValue;
    for value in AspectRatio::ALL {
        assert_eq!(value.to_string().parse::<AspectRatio>(), Ok(value));
    }
    assert_eq!("10".parse::<Duration5Or10>(), Ok(Duration5Or10::Seconds10));
    assert_eq!(Duration5Or10::try_from("5"), Ok(Duration5Or10::Seconds5));
    assert_eq!(
        VeoResolution::try_from("1080p"),
        Ok(VeoResolution::Res1080p)
    );
    let error: UnknownValue = "1:1".parse::<AspectRatioNoSquare>().unwrap_err();
    assert_eq!(error.value, "1:1");
    assert_eq!(error.to_string(), r#"expected "16:9" or "9:16", got "1:1""#);
    // The plain text, not JSON: a quoted or padded value is not a member.
    assert!("\"16:9\"".parse::<AspectRatio>().is_err());
    assert!("05".parse::<Duration5Or10>().is_err());
}
