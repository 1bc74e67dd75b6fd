/** Reads stored samples back as face crops for re-extraction; missing files are skipped. */
import type { FileStore } from '../../images/index.ts';
import { readStoredCrops } from '../../samples/index.ts';
import type { FaceCrop } from '../../vision/index.ts';

/** Where stored samples are read from and how a JPEG becomes a crop. */
export interface SampleCropSource {
  sampleFiles: FileStore;
  decodeCrop: (jpeg: Uint8Array) => Promise<FaceCrop>;
}

/** The crops of the samples whose files exist, or undefined when none does (or one fails). */
export async function readCrops(
  source: SampleCropSource,
  sampleIds: string[],
): Promise<FaceCrop[] | undefined> {
  try {
    const crops = await readStoredCrops(source.sampleFiles, source.decodeCrop, sampleIds);
    return crops.length > 0 ? crops : undefined;
  } catch {
    return undefined;
  }
}
