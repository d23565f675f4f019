// Runs fer4j's exported ONNX graphs in onnxruntime-node (a second runtime, no fer4j code) and prints, per graph, the
// largest |difference| from fer4j's own probabilities. Called by bench/onnx-check.sh with the cases folder.
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function floats(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

async function main() {
  const dir = process.argv[2];
  const pixels = floats(path.join(dir, 'faces.f32'));
  const cases = fs.readFileSync(path.join(dir, 'cases.txt'), 'utf8').trim().split('\n').map(l => l.split(' '));
  console.log('| graph | faces | classes | max abs(onnxruntime-node - fer4j) | argmax agreement |');
  console.log('|---|---|---|---|---|');
  let worst = 0;
  for (const [name, n, classes] of cases) {
    const count = Number(n), k = Number(classes);
    const session = await ort.InferenceSession.create(path.join(dir, name + '.onnx'));
    const input = new ort.Tensor('float32', pixels.subarray(0, count * 48 * 48), [count, 1, 48, 48]);
    const out = await session.run({ [session.inputNames[0]]: input });
    const got = out[session.outputNames[0]].data;
    const want = floats(path.join(dir, name + '.expected.f32'));
    let max = 0, agree = 0;
    for (let i = 0; i < count; i++) {
      let a = 0, b = 0;
      for (let c = 0; c < k; c++) {
        max = Math.max(max, Math.abs(got[i * k + c] - want[i * k + c]));
        if (got[i * k + c] > got[i * k + a]) a = c;
        if (want[i * k + c] > want[i * k + b]) b = c;
      }
      if (a === b) agree++;
    }
    worst = Math.max(worst, max);
    console.log(`| ${name} | ${count} | ${k} | ${max.toExponential(2)} | ${agree}/${count} |`);
  }
  console.log(`\nonnxruntime-node ${require('onnxruntime-node/package.json').version}: worst max abs difference ${worst.toExponential(2)}`);
  process.exit(worst < 1e-4 ? 0 : 1);
}

main().catch(e => { console.error(e); process.exit(2); });
