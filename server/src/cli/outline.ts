import type { Conference } from '../features/talks';
import type { OutlineCommand } from './args';
import { talkCalendar } from '../features/talkCalendar';
import { formatOutline } from '../features/talkExport';
import { displayPath, openVault, progressLine, resolveTargets, type CliIo } from './vaults';

/**
 * `vaultlink outline NOTE`: the talk outline of a conference note (the talks
 * feature, `service.getTalks`), within its vault so images and links resolve;
 * of every conference note when a folder is given. Exit 0 when an outline was
 * printed, 1 when none of the notes is a conference note (`ics`: or no talk
 * has a date).
 */
export async function runOutline(command: OutlineCommand, io: CliIo): Promise<number> {
  const targets = await resolveTargets(command.paths, io);
  const conferences: Conference[] = [];
  let missing = 0;
  for (const target of targets) {
    const { service } = await openVault(target.rootUri, io);
    const progress = progressLine(io);
    await service.indexAll(progress.report);
    progress.end();
    if (target.whole) {
      const found = service.getTalks();
      if (!found.length) io.err(`vaultlink: no conference note in ${displayPath(target.rootUri, io)}\n`);
      conferences.push(...found);
    }
    for (const uri of target.notes) {
      const note = service.noteFor(uri);
      const found = note ? service.getTalks(note.note.file.uri) : [];
      if (!found.length) {
        missing++;
        io.err(`vaultlink: ${displayPath(uri, io)} ${note ? 'is not a conference note: it has no talks' : 'is not in its vault (hidden or excluded)'}\n`);
      }
      for (const conference of found) if (!conferences.some((c) => c.uri === conference.uri)) conferences.push(conference);
    }
  }
  if (!conferences.length) return 1;
  if (command.format === 'ics') {
    const calendar = talkCalendar(conferences, { year: command.year, timeZone: command.timeZone });
    io.out(calendar.text);
    // Said on stderr, so the file on stdout stays a calendar.
    if (calendar.skipped) io.err(`vaultlink: ${calendar.skipped} talks are on a day without a date and are not in the calendar (date the day lines or headings, or give --year for days written as a month and day)\n`);
    return missing || calendar.events === 0 ? 1 : 0;
  }
  io.out(formatOutline(conferences, command.format));
  return missing ? 1 : 0;
}
