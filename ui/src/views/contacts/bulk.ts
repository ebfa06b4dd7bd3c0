// What a bulk edit and its undo say in the toast, in words.

import type { BulkEdit, BulkReport, BulkUndoReport } from "../../lib/api";
import { circleLabels } from "../../lib/format";

function people(n: number): string {
  return n === 1 ? "1 person" : `${n.toLocaleString()} people`;
}

/** "Set circle Close for 12 people" (and how many had it already). */
export function bulkDone(report: BulkReport): string {
  const who = people(report.chosen);
  const done = ((edit: BulkEdit): string => {
    switch (edit.field) {
      case "circle":
        return `Set circle ${circleLabels[edit.value]} for ${who}`;
      case "cadence":
        return edit.value === null
          ? `Set each circle's rhythm for ${who}`
          : `Set a rhythm of every ${edit.value} days for ${who}`;
      case "tag":
        return `Tagged ${who} “${edit.value}”`;
      case "untag":
        return `Took the tag “${edit.value}” from ${who}`;
    }
  })(report.edit);
  const already = report.chosen - report.changed.length;
  return already > 0 ? `${done} (${people(already)} had it already).` : `${done}.`;
}

/** "Put back for 11 people; Ben Okafor was changed since and is left as is." */
export function undoneSaid(undone: BulkUndoReport): string {
  const back = `Put back for ${people(undone.restored)}`;
  if (undone.kept.length === 0) return `${back}.`;
  const names =
    undone.kept.length <= 3
      ? undone.kept.join(", ")
      : `${undone.kept.slice(0, 3).join(", ")} and ${undone.kept.length - 3} more`;
  const was = undone.kept.length === 1 ? "was" : "were";
  return `${back}; ${names} ${was} changed since and left as they are.`;
}
