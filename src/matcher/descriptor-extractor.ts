/**
 * A recognizer as the matcher sees it: the descriptor version it writes, the calibration of
 * its cosines, and extraction from face crops. The same model under a new tag keeps its
 * calibration; a different model brings its own.
 */
import type { Logger } from '../logger/index.ts';
import { type FaceCrop, openRecognizer } from '../vision/index.ts';
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

/** Where a second recognizer comes from: its version tag, model file and calibration. */
export interface ExtraRecognizerSpec {
  version: string;
  path: string;
  calibration: Calibration | undefined;
}

/**
 * Opens the second recognizer of a model upgrade. Without a calibration of its own it borrows
 * `fallback` (right for the same model under a new tag; measure a different model first).
 */
export async function openExtraExtractor(
  spec: ExtraRecognizerSpec,
  fallback: Calibration,
  threads: number,
  logger: Logger,
): Promise<DescriptorExtractor & { close(): Promise<void> }> {
  const recognizer = await openRecognizer(spec.path, threads, logger);
  const calibration = spec.calibration ?? fallback;
  logger.info('extra_recognizer_loaded', { version: spec.version, path: spec.path, calibration });
  return {
    version: spec.version,
    calibration,
    extract: (crops) => recognizer.extract(crops),
    close: () => recognizer.close(),
  };
}
