// The model runtime's API in one import: `import { Model, Interpreter } from "ml/runtime"`.
export { Model, type ModelSource } from "ml/model";
export { Interpreter, type InterpreterOptions, type OpProfile } from "ml/interpreter";
export { Tensor, type TensorData, type TensorInfo, type TensorType } from "ml/tensor";
export { ModelError, EngineError, EngineStatus, type EngineStatusName } from "ml/errors";
export { quantize, dequantize, quantizeValue, dequantizeValue, type QuantizedArray, type RealArray } from "ml/quantize";
