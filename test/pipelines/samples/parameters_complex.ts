/** `parameters_complex.yaml` (samples-next): `dsl.Collected` of parameters, from nested loops, read in and after loops. */
import { collected, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "parameters_complex";
const KFP = "2.14.3";
const integers = param.list({ items: "NUMBER_INTEGER" });

const double = sdkComponent(SAMPLE, "double", { kfpVersion: KFP, inputs: { num: param.integer() }, outputs: { Output: param.integer() } });
const simpleAdd = sdkComponent(SAMPLE, "simple_add", { kfpVersion: KFP, inputs: { nums: integers }, outputs: { Output: param.integer() } });
const nestedAdd = sdkComponent(SAMPLE, "nested_add", { kfpVersion: KFP, inputs: { nums: param.list({ items: "LIST" }) }, outputs: { Output: param.integer() } });
const addTwoNumbers = sdkComponent(SAMPLE, "add_two_numbers", { kfpVersion: KFP, inputs: { x: integers, y: integers }, outputs: { Output: param.integer() } });

export default pipeline({ name: "math-pipeline", outputs: { Output: param.integer() } }, (dag) => {
  const [t1, t2] = dag.parallelFor([1, 2, 3], (loop, a) => {
    const first = loop.task(double, { num: a });
    const second = loop.parallelFor([4, 5, 6], (inner, b) => inner.task(double, { num: b }));
    loop.task(simpleAdd, { nums: collected(second.outputs.Output) });
    return [first, second] as const;
  });
  dag.task(nestedAdd, { nums: collected(t2.outputs.Output) });
  const [t3, t4] = dag.parallelFor([0, 0, 0], (loop) => [loop.task(simpleAdd, { nums: collected(t1.outputs.Output) }), loop.task(nestedAdd, { nums: collected(t2.outputs.Output) })] as const);
  return { Output: dag.task(addTwoNumbers, { x: collected(t3.outputs.Output), y: collected(t4.outputs.Output) }).outputs.Output };
});
