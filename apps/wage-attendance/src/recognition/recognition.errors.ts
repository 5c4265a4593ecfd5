export enum RecognitionErrorCode {
  GUID_TAKEN = 'RECOGNITION_GUID_TAKEN',
}
