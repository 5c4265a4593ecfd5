/** Messages between the benchmark's main thread and its load worker. */
export interface KioskSpec {
  machineNo: string;
  secret: string;
  /** Orders pre-redeemed at this kiosk, used in turn. */
  orders: Array<{ orderId: string; userId: string }>;
  /** Orders waiting for their cardholder's pickup code (the morning burst), used in turn. */
  pickups: Array<{ orderId: string; userId: string; phoneNumber: string; pickupCode: string }>;
}

export type Phase = 'warmup' | 'baseline' | 'personalise' | 'burst';

export interface WorkerInput {
  baseUrl: string;
  kiosks: KioskSpec[];
  masterKeyHex: string;
  algorithm: '3DES' | 'SM4';
}

export interface PhaseRequest {
  phase: Phase;
  seconds: number;
  /** Pacing: modelled card time per APDU run (ms), and idle time between two cards (printing, the user). */
  apduMs?: number;
  cardGapMs?: number;
  /** Pacing of the baseline: idle time between two calls. */
  callGapMs?: number;
  /**
   * The morning burst (phase `burst`, and its baseline): every kiosk starts at once, and waits this
   * long after each answer before its next call (openCardUserDetail, then the card, then the next).
   */
  stepMs?: number;
}

export interface PhaseResult {
  phase: Phase;
  elapsedMs: number;
  /** Round-trip times per call name. */
  samples: Record<string, number[]>;
  cards: number;
  errors: number;
  firstError?: string;
}
