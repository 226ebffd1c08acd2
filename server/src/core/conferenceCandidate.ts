import { titleHeading } from './noteQueries';
import { namesAnEvent, parseTalkHeading } from './talkPatterns';
import type { Heading, ParsedNote } from './types';

/** The front matter and headings of a parse: all these rules look at. */
type NoteOutline = Pick<ParsedNote, 'frontMatter' | 'headings'>;

const CONFERENCE_TAG = /^(?:.*\/)?conferences?$/i;

/**
 * Tagged as a conference, or titled by an event with sections below: a note
 * worth reading as a conference. Cheap (front matter and headings only), so the
 * parser uses it to keep the prose text only for such notes: the talk outline
 * reads their day and speaker lines even when they are closed, and no other
 * note pays for it in memory or in the parse cache.
 */
export function isConferenceCandidate(note: NoteOutline): boolean {
  if (hasConferenceTag(note)) return true;
  const title = conferenceTitleHeading(note);
  return !!title && note.headings.length > 1 && namesAnEvent(title.text);
}

/**
 * The heading over the whole note. A lone heading titles the note only when it
 * names an event and carries no time or track: in a note about a single talk,
 * the heading is that talk.
 */
export function conferenceTitleHeading(note: NoteOutline): Heading | undefined {
  const title = titleHeading(note);
  if (!title || note.headings.length > 1) return title;
  const { time, track } = parseTalkHeading(title.text);
  return namesAnEvent(title.text) && time === undefined && track === undefined ? title : undefined;
}

export function hasConferenceTag(note: NoteOutline): boolean {
  const frontMatter = note.frontMatter;
  return !!frontMatter && [...frontMatter.tags, ...frontMatter.categories].some((tag) => CONFERENCE_TAG.test(tag.trim()));
}
