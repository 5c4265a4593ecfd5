import { Injectable } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { cardKey } from '../common/resident-id';
import { IdentifyDto } from './dto/identify.dto';
import { RecognitionRecorder } from './recognition-recorder';
import { RecognitionErrorCode } from './recognition.errors';
import { parseShowTime } from './show-time';

export interface IdentifyAnswer {
  guid: string;
  /** This record was stored before (an upload repeated): nothing new was stored or sent. */
  duplicate: boolean;
  type: 1 | 2;
  passTimeType: 1 | 2 | 3;
  permissionTimeType: 1 | 2 | 3;
  recModeType: '1' | '2';
  /** The card read was reported lost, frozen or replaced. */
  cardBlocked: boolean;
  /** Everything says the person may pass: the gate may open. */
  pass: boolean;
}

/** A terminal's recognition record: judged, stored once, called back once, published once. */
@Injectable()
export class IdentifyService {
  constructor(private readonly recorder: RecognitionRecorder) {}

  async identify(dto: IdentifyDto): Promise<IdentifyAnswer> {
    const cardNo = (dto.cardNo ?? '').trim();
    const outcome = await this.recorder.record({
      guid: dto.guid,
      deviceKey: dto.deviceKey,
      personGuid: dto.personGuid,
      photoUrl: dto.photoUrl ?? '',
      showTimeMs: parseShowTime(dto.showTime) as number,
      type: dto.type,
      recMode: dto.recMode,
      cardNo,
      cardKey: cardKey(cardNo),
      recType: dto.recType ?? 1,
      personName: dto.personName ?? '',
      deviceType: dto.deviceType ?? '',
      idCardInfo: dto.idCardInfo ? { ...dto.idCardInfo } : null,
    });
    if (!outcome.ok) throw new AppError(ErrorKind.CONFLICT, RecognitionErrorCode.GUID_TAKEN, `guid: already used by another terminal's record`, 'guid');
    return { guid: dto.guid, duplicate: outcome.duplicate, ...outcome.judgement };
  }
}
