/** Public face of the faces module. */
export {
  createFaceRepository,
  descriptorsOf,
  type FaceDescriptor,
  type FaceQuery,
  type FaceRepository,
  type FaceRow,
  faceInsertStatements,
  type NewFace,
} from './face-repository.ts';
export { type CreateFaceInput, createFaceService, type FaceService } from './face-service.ts';
export { faceRoutes, faceView } from './routes.ts';
