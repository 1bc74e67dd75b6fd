/**
 * The report of a ROC task from scored pairs: TAR at fixed FARs (the evaluation module's
 * definitions), EER, AUC, a threshold table in calibrated similarity, the curve, and the files
 * of the result archive (JSON, CSV table, SVG plot).
 */
import { type ScoredPair, tarAt, thresholdAtFar } from '../../evaluation/index.ts';
import { type Calibration, cosineToSimilarity, similarityToCosine } from '../../matcher/index.ts';
import { csvRow } from '../internal/csv.ts';
import {
  equalErrorRate,
  passRate,
  rankAuc,
  rocCurve,
  type SortedScores,
  sortedScores,
} from '../internal/roc-curve.ts';
import { rocSvg } from '../internal/roc-plot.ts';
import type { ZipInput } from '../internal/zip-writer.ts';

/** FARs the report states TAR at. */
export const FAR_TARGETS = [1e-2, 1e-3, 1e-4] as const;

const round = (v: number, digits = 6) => Number(v.toFixed(digits));

function asPairs(genuine: number[], impostor: number[]): ScoredPair[] {
  return [
    ...genuine.map((score) => ({ fold: 0, same: true, score })),
    ...impostor.map((score) => ({ fold: 0, same: false, score })),
  ];
}

function tarRows(pairs: ScoredPair[], impostors: number, calibration: Calibration) {
  return FAR_TARGETS.map((far) => {
    const cosine = thresholdAtFar(pairs, far);
    return {
      far,
      tar: round(tarAt(pairs, cosine)),
      cosine: round(cosine),
      similarity: round(cosineToSimilarity(cosine, calibration)),
      // Below one impostor per FAR step the threshold only says "above every impostor".
      measurable: impostors * far >= 1,
    };
  });
}

function thresholdTable(g: SortedScores, i: SortedScores, calibration: Calibration) {
  const rows = [];
  for (let s = 5; s <= 95; s += 5) {
    const similarity = s / 100;
    const cosine = similarityToCosine(similarity, calibration);
    rows.push({
      similarity,
      cosine: round(cosine),
      tar: round(passRate(g, cosine)),
      far: round(passRate(i, cosine), 8),
    });
  }
  return rows;
}

/** Everything the ROC result states. */
export function rocReport(genuine: number[], impostor: number[], calibration: Calibration) {
  const g = sortedScores(genuine);
  const i = sortedScores(impostor);
  const eer = equalErrorRate(g, i);
  return {
    genuine_pairs: g.length,
    impostor_pairs: i.length,
    auc: round(rankAuc(g, i)),
    eer: round(eer.eer),
    eer_similarity: round(cosineToSimilarity(eer.threshold, calibration)),
    tar_at_far: tarRows(asPairs(genuine, impostor), i.length, calibration),
    thresholds: thresholdTable(g, i, calibration),
    curve: rocCurve(g, i).map((p) => ({
      similarity: Number.isFinite(p.threshold)
        ? round(cosineToSimilarity(p.threshold, calibration))
        : 1,
      tpr: round(p.tpr),
      fpr: round(p.fpr, 8),
    })),
  };
}

/** The report as result files: roc.json, thresholds.csv and roc.svg. */
export function rocFiles(report: ReturnType<typeof rocReport>, extra: Record<string, unknown>) {
  const csv = [csvRow(['similarity', 'cosine', 'tar', 'far'])];
  for (const r of report.thresholds) {
    csv.push(csvRow([r.similarity, r.cosine, r.tar, r.far]));
  }
  const marks = report.tar_at_far
    .filter((t) => t.measurable)
    .map((t) => ({ label: `FAR ${t.far}: ${(t.tar * 100).toFixed(2)} %`, fpr: t.far, tpr: t.tar }));
  const curve = report.curve.map((p) => ({ threshold: p.similarity, tpr: p.tpr, fpr: p.fpr }));
  const title = `ROC: ${report.genuine_pairs} genuine, ${report.impostor_pairs} impostor pairs`;
  const encode = (text: string) => new TextEncoder().encode(text);
  const files: ZipInput[] = [
    { name: 'roc.json', data: encode(JSON.stringify({ ...extra, ...report }, null, 2)) },
    { name: 'thresholds.csv', data: encode(csv.join('')) },
    { name: 'roc.svg', data: encode(rocSvg(curve, marks, title)) },
  ];
  return files;
}
