/**
 * The subset of onnx.proto (ONNX IR) the exporter writes, declared by hand for protobufjs: field
 * names and numbers as in the official schema, so any ONNX reader parses the bytes.
 */
import protobuf from 'protobufjs/light.js';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const field = (type: string, id: number) => ({ type, id });

const schema = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: field('string', 1), f: field('float', 2), i: field('int64', 3), s: field('bytes', 4), t: field('TensorProto', 5),
            floats: repeated('float', 7), ints: repeated('int64', 8), strings: repeated('bytes', 9), type: field('AttributeType', 20),
          },
          nested: {
            AttributeType: { values: { UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } },
          },
        },
        ValueInfoProto: { fields: { name: field('string', 1), type: field('TypeProto', 2), doc_string: field('string', 3) } },
        NodeProto: {
          fields: {
            input: repeated('string', 1), output: repeated('string', 2), name: field('string', 3), op_type: field('string', 4),
            attribute: repeated('AttributeProto', 5), doc_string: field('string', 6), domain: field('string', 7),
          },
        },
        StringStringEntryProto: { fields: { key: field('string', 1), value: field('string', 2) } },
        ModelProto: {
          fields: {
            ir_version: field('int64', 1), producer_name: field('string', 2), producer_version: field('string', 3), domain: field('string', 4),
            model_version: field('int64', 5), doc_string: field('string', 6), graph: field('GraphProto', 7),
            opset_import: repeated('OperatorSetIdProto', 8), metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1), name: field('string', 2), initializer: repeated('TensorProto', 5), doc_string: field('string', 10),
            input: repeated('ValueInfoProto', 11), output: repeated('ValueInfoProto', 12),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1), data_type: field('int32', 2), name: field('string', 8), raw_data: field('bytes', 9), doc_string: field('string', 12),
          },
          nested: { DataType: { values: { UNDEFINED: 0, FLOAT: 1, INT64: 7 } } },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: field('int64', 1), dim_param: field('string', 2) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: field('Tensor', 1) },
          nested: { Tensor: { fields: { elem_type: field('int32', 1), shape: field('TensorShapeProto', 2) } } },
        },
        OperatorSetIdProto: { fields: { domain: field('string', 1), version: field('int64', 2) } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema);

export const ModelProto = root.lookupType('onnx.ModelProto');

export const TensorDataType = { FLOAT: 1, INT64: 7 } as const;
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
