/** The status bar item's words, kept free of the vscode API so they can be tested in plain Node. */
import type { StatusParams } from '../../server/src/shared/protocol';
import { plural } from './format';

export type StatusShown = { kind: 'starting' } | { kind: 'stopped' } | { kind: 'status'; params: StatusParams };

/** The status bar text (with codicons) and tooltip for each state. */
export function describeStatus(shown: StatusShown): { text: string; tooltip: string } {
  switch (shown.kind) {
    case 'starting':
      return { text: '$(loading~spin) kpath', tooltip: 'kpath: starting the language server' };
    case 'stopped':
      return { text: '$(debug-disconnect) kpath', tooltip: 'kpath: the language server is not running (kpath: Restart Server)' };
    case 'status': {
      const { state, done, total, findings } = shown.params;
      const found = plural(findings, 'finding');
      if (state === 'analyzing') {
        return {
          text: `$(sync~spin) kpath: analysing ${done}/${total}`,
          tooltip: `kpath: analysing the workspace, ${done} of ${plural(total, 'file')} done; ${found} so far`,
        };
      }
      return {
        text: `${findings === 0 ? '$(check)' : '$(warning)'} kpath: ${found}`,
        tooltip: `kpath: ${found} in the workspace. Click to open the Problems panel.`,
      };
    }
  }
}

