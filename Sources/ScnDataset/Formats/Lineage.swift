import ScnEncoding

/// `lineage.json`: one OpenLineage 2-0-2 `RunEvent` (COMPLETE) linking the scenario files
/// (inputs, each with its hash) to the dataset (output). The run id is a UUID v5 of the
/// dataset identity, so the same dataset always reports the same run.
enum Lineage {
  static let schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
  static let facetSchemaURL = "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet"

  static func event(_ context: CardContext) -> JSONValue {
    let identity = context.identity
    let namespace = "scn://\(identity.scenario)"
    // A URN rather than a web address: the generator is named by what it is, not by where
    // someone may host it.
    let producerURI = "urn:scn:generator:\(identity.generatorName):\(identity.generatorVersion)"
    func versionFacet(_ version: String) -> JSONValue {
      .object([
        ("version", .object([
          ("_producer", .string(producerURI)), ("_schemaURL", .string(facetSchemaURL)),
          ("datasetVersion", .string(version)),
        ])),
      ])
    }
    return .object([
      ("eventType", .string("COMPLETE")),
      ("eventTime", .string(DatasetTimestamp.iso8601(context.timestamp))),
      ("producer", .string(producerURI)),
      ("schemaURL", .string(schemaURL)),
      ("run", .object([("runId", .string(NameBasedUUID.v5(name: "scn:dataset:" + identity.hash)))])),
      ("job", .object([("namespace", .string("scn")), ("name", .string("generate.\(identity.scenario)"))])),
      ("inputs", .array((identity.sources + (identity.focus.map { [$0] } ?? [])).map { source in
        .object([
          ("namespace", .string(namespace)), ("name", .string(source.path)),
          ("facets", versionFacet("sha256:" + source.sha256)),
        ])
      })),
      ("outputs", .array([
        .object([
          ("namespace", .string(namespace)), ("name", .string("dataset/\(context.card.name)")),
          ("facets", versionFacet("sha256:" + identity.hash)),
        ])
      ])),
    ])
  }
}
