import { CountString, MACHINE_NO, NumberAsText, RequiredPattern } from '../../common/validators';

/** saveMachine: the kiosk's consumables, counts as strings as the document sends them. */
export class SaveMachineDto {
  @NumberAsText() @RequiredPattern(MACHINE_NO, '1-64 of A-Z a-z 0-9 _ . -')
  machineNo: string;
  @CountString() cardCount: string;
  @CountString() inkCount: string;
  @CountString() cardRopeCover: string;
}
