import { MACHINE_NO, NumberAsText, RequiredPattern } from '../../common/validators';
import { StockText } from '../stock-level';

/** saveMachine: the kiosk's consumables as strings, as the document sends them (counts, decimals or percentages). */
export class SaveMachineDto {
  @NumberAsText() @RequiredPattern(MACHINE_NO, '1-64 of A-Z a-z 0-9 _ . -')
  machineNo: string;
  @StockText() cardCount: string;
  @StockText() inkCount: string;
  @StockText() cardRopeCover: string;
}
