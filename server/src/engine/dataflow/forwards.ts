/**
 * The parameters a small wrapper hands on to its callees unchanged, so that a caller's constant
 * reaches the callee that tests it (the program's `comparedOf`).
 */
import type { FieldOwner, FunctionIR } from '../ir';
import { memberValue, memberValuesAtCalls } from './member-values';
import { testableParams } from './param-tests';

/** Calls a small function makes at most to count as a wrapper whose parameters it hands on (`forwardedParams`). */
export const WRAPPER_CALLS = 3;

/**
 * A parameter a wrapper hands on unchanged to a call, as `[callee, index, param]`, or in a member of
 * a structure it passes by address, as `[callee, index, param, member]`. The callee is a function's
 * name, or for a call through a field, what the program resolves it by (`FieldCall`).
 */
export type Forward = readonly [callee: string | FieldCall, index: number, param: string, member?: string];

/** A call through a field (`a->ops->get(a, v)`): the field, where it is when known, and how many arguments it passes. */
export interface FieldCall {
  field: string;
  owner?: FieldOwner;
  args: number;
}

/**
 * A wrapper's parameters handed on unchanged: iwlwifi's iwl_dbg_tlv_time_point(fwrt, tp_id, data)
 * calls _iwl_dbg_tlv_time_point(fwrt, tp_id, data, false), which switches on `tp_id`, so a
 * caller's constant for the wrapper's `tp_id` decides the callee's cases too;
 * iwl_mvm_send_cmd_pdu(mvm, id, flags, ...) puts `flags` in `cmd.flags` and passes `&cmd` to a
 * callee testing `cmd->flags & CMD_ASYNC`; rtl8723bs's rtw_hal_get_def_var(padapter, var, val)
 * hands `var` on through `padapter->HalFunc.GetHalDefVarHandler` to a function that switches on it.
 * A call through a pointer without a field (`(*fn)(x)`) resolves to nothing. Only functions of at most WRAPPER_CALLS calls: the
 * facts are kept for the whole program.
 */
export function forwardedParams(fn: FunctionIR): Forward[] {
  const calls = fn.blocks.flatMap((b) => b.ops.filter((op) => op.kind === 'call'));
  if (calls.length === 0 || calls.length > WRAPPER_CALLS) return [];
  const params = testableParams(fn);
  const out: Forward[] = [];
  for (const op of calls) {
    if (op.indirect && op.field === undefined) continue;
    const callee: string | FieldCall = op.indirect ? { field: op.field!, ...(op.owner ? { owner: op.owner } : {}), args: op.args.length } : op.callee;
    const members = memberValuesAtCalls(fn).get(op.id);
    op.args.forEach((arg, i) => {
      if (params.has(arg.text)) out.push([callee, i, arg.text]);
      if (!members || !arg.text.startsWith('&')) return;
      const prefix = `${arg.text.slice(1)}.`;
      for (const path of members.keys()) {
        if (!path.startsWith(prefix)) continue;
        for (const { value } of memberValue(members, path) ?? []) {
          if (params.has(value) && params.get(value)!.only === undefined) out.push([callee, i, value, path.slice(prefix.length)]);
        }
      }
    });
  }
  return out;
}
