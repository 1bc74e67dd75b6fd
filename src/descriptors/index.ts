/** Public face of the descriptors module: the math every holder of descriptors shares. */
export {
  DESCRIPTOR_LENGTH,
  decodeDescriptor,
  dot,
  encodeDescriptor,
  l2Normalise,
  meanDescriptor,
} from './descriptor-math.ts';
