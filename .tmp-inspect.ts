import * as ort from 'onnxruntime-node';
for (const f of ['/work/shared/models/yunet_n_dynamic.onnx','/tmp/fp/package/model/fr_feature.onnx','/tmp/fp/package/model/fr_age.onnx','/tmp/fp/package/model/fr_gender.onnx']) {
  const s = await ort.InferenceSession.create(f);
  console.log(f, s.inputNames, s.outputNames, JSON.stringify((s as any).inputMetadata), JSON.stringify((s as any).outputMetadata));
  await s.release();
}
