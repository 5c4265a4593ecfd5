import { EventPayload, Events, MachineStatusChange } from '@onecard/contracts';

export type MachineStatus = EventPayload<typeof Events.MachineStatusChanged>;

/** The machine.status-changed event of one change, `at` when it happened. */
export function machineStatus(row: { machine_no: string; project_id: string }, status: MachineStatusChange, at: Date): MachineStatus {
  return { machineNo: row.machine_no, projectId: row.project_id, status, at: new Date(at).toISOString() };
}
