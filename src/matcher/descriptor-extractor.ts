/**
 * A recognizer as the matcher sees it: the descriptor version it writes, the calibration of
 * its cosines, and extraction from face crops. The same model under a new tag keeps its
 * calibration; a different model brings its own.
 */
import type { FaceCrop } from '../vision/index.ts';
import type { Calibration } from './similarity.ts';

/** Describes face crops as descriptors of one version. */
export interface DescriptorExtractor {
  readonly version: string;
  readonly calibration: Calibration;
  extract(crops: FaceCrop[]): Promise<Float32Array[]>;
}

/** The same extractor under another version tag (same model, same calibration). */
export function retagged(extractor: DescriptorExtractor, version: string): DescriptorExtractor {
  return {
    version,
    calibration: extractor.calibration,
    extract: (crops) => extractor.extract(crops),
  };
}
