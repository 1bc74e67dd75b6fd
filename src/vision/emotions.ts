/** The emotion classes the expression estimator reports, in the network's output order. */

/** Emotion names, index = network class. */
export const EMOTIONS = [
  'anger',
  'disgust',
  'fear',
  'happiness',
  'sadness',
  'surprise',
  'neutral',
] as const;

/** One emotion. */
export type Emotion = (typeof EMOTIONS)[number];
