import type { BaseConfig, OneCardAppDefinition, SealingKeySetting } from '@onecard/kernel';
import { keysOrDevelopmentKey } from '@onecard/kernel';
import { SecretBox } from './secret-box';

/**
 * The app's SecretBoxes, one per sealing key setting its definition declares
 * (`OneCardAppDefinition.sealing`). Features inject this and take their box by variable:
 * `keys.box('TRANSIT_SECRET_KEY')`. The platform checks each box against what the schema holds
 * before the app starts (sealed-data-check.ts).
 */
export class SealingKeys {
  private readonly boxes = new Map<string, SecretBox>();

  constructor(
    private readonly definition: OneCardAppDefinition,
    private readonly config: BaseConfig,
  ) {}

  get settings(): readonly SealingKeySetting[] {
    return this.definition.sealing ?? [];
  }

  /**
   * The box of a declared setting. Built on first use, so a development key is derived (and
   * warned about) once, through the app's logger.
   */
  box(variable: string): SecretBox {
    let box = this.boxes.get(variable);
    if (!box) {
      if (!this.settings.some((s) => s.variable === variable)) {
        throw new Error(`${variable} is not a sealing key setting of ${this.definition.name} (declare it in the app definition's sealing)`);
      }
      box = new SecretBox(keysOrDevelopmentKey(this.config, variable, this.configured(variable)));
      this.boxes.set(variable, box);
    }
    return box;
  }

  /** False when the variable is unset and its key is the development key derived from ADMIN_TOKEN. */
  isConfigured(variable: string): boolean {
    return this.configured(variable) !== undefined;
  }

  private configured(variable: string): string | undefined {
    const value = (this.config as unknown as Record<string, unknown>)[variable];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}
