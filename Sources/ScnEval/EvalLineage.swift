import ScnEncoding
import ScnDataset

/// The OpenLineage 2-0-2 run event of an evaluation: inputs are the dataset (by identity)
/// and the predictions file (by SHA-256), the output is the evaluation (by the hash of
/// `eval.json`). The run id is a UUID v5 of the inputs, so the same evaluation always
/// reports the same run.
enum EvalLineage {
  static let schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
  static let facetSchemaURL =
    "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet"

  static func event(
    dataset: EvalDataset, predictionsPath: String, predictionsHash: String, evalHash: String, timestamp: Int64
  ) -> JSONValue {
    let producer = "urn:scn:eval:\(Evaluation.schema)"
    let namespace = "scn://\(dataset.scenario)"
    func versionFacet(_ version: String) -> JSONValue {
      .object([
        ("version", .object([
          ("_producer", .string(producer)), ("_schemaURL", .string(facetSchemaURL)),
          ("datasetVersion", .string(version)),
        ]))
      ])
    }
    return .object([
      ("eventType", .string("COMPLETE")),
      ("eventTime", .string(DatasetTimestamp.iso8601(timestamp))),
      ("producer", .string(producer)),
      ("schemaURL", .string(schemaURL)),
      ("run", .object([
        ("runId", .string(NameBasedUUID.v5(name: "scn:eval:\(dataset.identityHash):\(dataset.camera):\(predictionsHash):\(evalHash)")))
      ])),
      ("job", .object([("namespace", .string("scn")), ("name", .string("eval.\(dataset.scenario)"))])),
      ("inputs", .array([
        .object([
          ("namespace", .string(namespace)), ("name", .string("dataset/\(dataset.scenario)")),
          ("facets", versionFacet("sha256:" + dataset.identityHash)),
        ]),
        .object([
          ("namespace", .string(namespace)), ("name", .string("predictions/\(predictionsPath)")),
          ("facets", versionFacet("sha256:" + predictionsHash)),
        ]),
      ])),
      ("outputs", .array([
        .object([
          ("namespace", .string(namespace)), ("name", .string("eval/\(dataset.camera)")),
          ("facets", versionFacet("sha256:" + evalHash)),
        ])
      ])),
    ])
  }
}
