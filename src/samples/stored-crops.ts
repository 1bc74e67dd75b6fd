/**
 * Stored samples read back as face crops (for describing faces again with another recognizer):
 * files that are gone are skipped; a file that does not decode throws.
 */
import type { FileStore } from '../images/index.ts';
import type { FaceCrop } from '../vision/index.ts';

/** The crops of those of `sampleIds` whose files exist, in the order asked. */
export async function readStoredCrops(
  sampleFiles: FileStore,
  decodeCrop: (jpeg: Uint8Array) => Promise<FaceCrop>,
  sampleIds: readonly string[],
): Promise<FaceCrop[]> {
  const crops: FaceCrop[] = [];
  for (const sampleId of sampleIds) {
    const jpeg = await sampleFiles.read(sampleId);
    if (jpeg) {
      crops.push(await decodeCrop(jpeg));
    }
  }
  return crops;
}
