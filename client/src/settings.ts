/**
 * The client's view of the `kpath.*` settings. Read on every use, never cached: a change in the
 * Settings editor applies to the next command without a reload.
 */
import * as vscode from 'vscode';

export interface SimulationDefaults {
  tasks: number;
  cpus: number;
  pool: number;
  preempt: boolean;
}

/** Simulation defaults for a document (folder settings may differ per workspace folder). */
export function simulationDefaults(scope?: vscode.Uri): SimulationDefaults {
  const config = vscode.workspace.getConfiguration('kpath.simulation', scope);
  return {
    tasks: positiveInteger(config.get('tasks'), 2),
    cpus: positiveInteger(config.get('cpus'), 2),
    pool: positiveInteger(config.get('pool'), 2),
    preempt: config.get('preempt') === true,
  };
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : fallback;
}
