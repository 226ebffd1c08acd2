import * as assert from 'node:assert/strict';
import { compileTalkPatterns } from '../../server/src/core/talkPatterns';
import { getConferenceOutline, type Conference, type Talk } from '../../server/src/features/talks';
import { openVault } from '../kit/vault';

/**
 * Conference notes in the shapes people write them, Korean and English, each
 * written for this table, with the outline a reader would make of it. No
 * setting is needed for any of them; the last rows use the extra patterns.
 */

/** A talk as the table writes it: the fields a reader checks, links as `kind url`. */
interface ExpectedTalk {
  readonly title: string;
  readonly time?: string;
  readonly endTime?: string;
  readonly track?: string;
  readonly room?: string;
  readonly speaker?: string;
  readonly links?: readonly string[];
  readonly needsNotes?: true;
}

interface ExpectedDay {
  readonly label: string;
  readonly date?: string;
  readonly monthDay?: string;
  readonly talks: readonly ExpectedTalk[];
}

interface Shape {
  readonly name: string;
  readonly note: string;
  readonly days: readonly ExpectedDay[];
  readonly year?: number;
  readonly timeZone?: string;
}

const SHAPES: readonly Shape[] = [
  {
    name: 'English programme: weekday headings, time ranges, (Room B), Speaker: lines',
    note: `---
tags: conference
year: 2025
timezone: Europe/Berlin
---
# RustConf EU

## Wednesday, April 2

### 09:00–09:45 Opening keynote (Main Hall)
Speaker: Ada Lovelace
- [Slides](https://speakerdeck.com/ada/opening)
Great start: a history of the borrow checker.

### 10:00–10:40 Async without tears (Room B)
Speaker: Grace Hopper
[Recording](https://www.youtube.com/watch?v=abc)

## Thursday, April 3

### 09:30 – 10:15 Embedded Rust [Track A]
*by Linus T.*
Notes: small binaries.
`,
    year: 2025,
    timeZone: 'Europe/Berlin',
    days: [
      {
        label: 'Wednesday, April 2',
        date: '2025-04-02',
        talks: [
          { title: 'Opening keynote', time: '09:00', endTime: '09:45', room: 'Main Hall', speaker: 'Ada Lovelace', links: ['slides https://speakerdeck.com/ada/opening'] },
          { title: 'Async without tears', time: '10:00', endTime: '10:40', room: 'Room B', speaker: 'Grace Hopper', links: ['video https://www.youtube.com/watch?v=abc'], needsNotes: true },
        ],
      },
      { label: 'Thursday, April 3', date: '2025-04-03', talks: [{ title: 'Embedded Rust', time: '09:30', endTime: '10:15', track: 'Track A', speaker: 'Linus T.' }] },
    ],
  },
  {
    name: 'Korean: 10월 22일 (화) headings, 오전/오후 times, 트랙 and 발표자:',
    note: `---
tags: [conference]
date: 2024-10-22
---
# 데브페스트 서울

## 10월 22일 (화)

### 오전 10시 키노트, 트랙 1
발표자: 김민수
키노트 내용 정리.

### 오후 2시 30분~3시 10분, 트랙 2, 쿠버네티스 운영기
발표자: 박지영
- 노드 업그레이드 자동화

## 10월 23일 (수)

### 오전 11시 데이터 파이프라인 (A홀)
연사: 이서준
- Kafka → Flink
`,
    year: 2024,
    days: [
      {
        label: '10월 22일 (화)',
        date: '2024-10-22',
        talks: [
          { title: '키노트', time: '10:00', track: 'Track 1', speaker: '김민수' },
          { title: '쿠버네티스 운영기', time: '14:30', endTime: '15:10', track: 'Track 2', speaker: '박지영' },
        ],
      },
      { label: '10월 23일 (수)', date: '2024-10-23', talks: [{ title: '데이터 파이프라인', time: '11:00', room: 'A홀', speaker: '이서준' }] },
    ],
  },
  {
    name: 'ISO date headings with [Track A] markers',
    note: `# KubeCon 2024

## Day 1 — 2024-10-22

### 11:00 [Track A] Service mesh in practice
Speaker: Jane Doe
Mesh everything? No.

### 11:00 [Track B] eBPF for everyone
Speaker: John Roe
Kernel hooks without kernel modules.

## Day 2 — 2024-10-23

### 09:00 [Track A] Closing panel
`,
    year: 2024,
    days: [
      {
        label: 'Day 1',
        date: '2024-10-22',
        talks: [
          { title: 'Service mesh in practice', time: '11:00', track: 'Track A', speaker: 'Jane Doe' },
          { title: 'eBPF for everyone', time: '11:00', track: 'Track B', speaker: 'John Roe' },
        ],
      },
      { label: 'Day 2', date: '2024-10-23', talks: [{ title: 'Closing panel', time: '09:00', track: 'Track A', needsNotes: true }] },
    ],
  },
  {
    name: 'Korean 일차 day lines with Track1 headings, as DEVIEW is written',
    note: `# 인프콘 2023
1일차, 23.08.15
## 10:00, Track1, 개발자의 성장
- 발표자 홍길동
- 꾸준함이 중요
2일차, 23.08.16
## 13:00, Track2, 테스트 자동화
- 발표자 김영희
- 테스트 피라미드
`,
    year: 2023,
    days: [
      { label: '1일차', date: '2023-08-15', talks: [{ title: '개발자의 성장', time: '10:00', track: 'Track 1', speaker: '홍길동' }] },
      { label: '2일차', date: '2023-08-16', talks: [{ title: '테스트 자동화', time: '13:00', track: 'Track 2', speaker: '김영희' }] },
    ],
  },
  {
    name: 'Day N headings, times at the end, by-lines in the heading',
    note: `---
tags: conference
---
# JSConf

## Day 1

### Signals in depth — by Ryan C., 10:30

Fine-grained reactivity.

### Temporal API (by Maggie P.), 11:15

## Day 2

### Scaling by sharding, 09:00

Sharding notes.
`,
    days: [
      {
        label: 'Day 1',
        talks: [
          { title: 'Signals in depth', time: '10:30', speaker: 'Ryan C.' },
          { title: 'Temporal API', time: '11:15', speaker: 'Maggie P.', needsNotes: true },
        ],
      },
      // `by` inside a title is not a speaker.
      { label: 'Day 2', talks: [{ title: 'Scaling by sharding', time: '09:00' }] },
    ],
  },
  {
    name: 'Track headings grouping the talks, Room: and Time: lines',
    note: `---
tags: conference
---
# GopherCon

## Track A

### Generics one year on
- Time: 10:00-10:40
- Room: 101
- Speaker: Ian L.
- generics in the standard library

### Profiling
- Time: 11:00 AM
- pprof, trace

## Track B

### WebAssembly
- Time: 2:00 PM - 2:45 PM
- Where: Grand Ballroom
- GOOS=wasip1
`,
    days: [
      {
        label: '',
        talks: [
          { title: 'Generics one year on', time: '10:00', endTime: '10:40', track: 'Track A', room: 'Room 101', speaker: 'Ian L.' },
          { title: 'Profiling', time: '11:00', track: 'Track A' },
          { title: 'WebAssembly', time: '14:00', endTime: '14:45', track: 'Track B', room: 'Grand Ballroom' },
        ],
      },
    ],
  },
  {
    name: 'Korean 2일차 headings with 트랙 2 and 장소 lines, a talk still empty',
    note: `---
tags: conference
---
# 파이콘 한국 2022

## 1일차 (10월 1일)

### 트랙 2 | 13:00 | 타입 힌트 실전
- 장소: B홀
- 발표자: 최수민
- mypy strict 모드

## 2일차 (10월 2일)

### 트랙 1 | 10:00 | 비동기 파이썬
- 발표자: 정다은
`,
    year: 2022,
    days: [
      { label: '1일차', date: '2022-10-01', talks: [{ title: '타입 힌트 실전', time: '13:00', track: 'Track 2', room: 'B홀', speaker: '최수민' }] },
      { label: '2일차', date: '2022-10-02', talks: [{ title: '비동기 파이썬', time: '10:00', track: 'Track 1', speaker: '정다은', needsNotes: true }] },
    ],
  },
  {
    name: 'Weekday day lines (not headings) and Korean day lines with a weekday',
    note: `---
tags: conference
year: 2026
---
# Local meetup notes

Tuesday, March 3
## 18:30 Lightning talks
by Sam K.
Five talks, five minutes each.

3월 10일 (화)
## 19:00 라이트닝 토크
발표자: 윤하늘
다섯 명이 발표.
`,
    year: 2026,
    days: [
      { label: 'Tuesday, March 3', date: '2026-03-03', talks: [{ title: 'Lightning talks', time: '18:30', speaker: 'Sam K.' }] },
      { label: '3월 10일 (화)', date: '2026-03-10', talks: [{ title: '라이트닝 토크', time: '19:00', speaker: '윤하늘' }] },
    ],
  },
  {
    name: 'Links by host and by label: slides, video and the session page',
    note: `---
tags: conference
website: https://events.example.org
---
# DataCon 2021

## 10:00 Lakehouse patterns
- [deck](https://docs.google.com/presentation/d/xyz/edit)
- [talk recording](https://media.example.net/watch/1)
- [session](https://events.example.org/2021/sessions/7)
- [발표 자료](https://drive.example.com/f/2)
- https://vimeo.com/555
- notes on delta tables
`,
    year: 2021,
    days: [
      {
        label: '',
        talks: [
          {
            title: 'Lakehouse patterns',
            time: '10:00',
            links: [
              'slides https://docs.google.com/presentation/d/xyz/edit',
              'video https://media.example.net/watch/1',
              'page https://events.example.org/2021/sessions/7',
              'slides https://drive.example.com/f/2',
              'video https://vimeo.com/555',
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'Ordinal English days (Day One) and Hall 2 / Stage A markers',
    note: `---
tags: conference
---
# Open Source Summit

## Day One

### Hall 2: Maintainer burnout
Speaker: Pat Q.
Rotate the on-call.

## Day Two

### Stage A · 16:00 · Funding open source
`,
    days: [
      { label: 'Day One', talks: [{ title: 'Maintainer burnout', room: 'Hall 2', speaker: 'Pat Q.' }] },
      { label: 'Day Two', talks: [{ title: 'Funding open source', time: '16:00', room: 'Stage A', needsNotes: true }] },
    ],
  },
  {
    name: 'A month and day without any year stays a month and day',
    note: `---
tags: conference
---
# Community day

## Saturday, June 7

### 10:00 Welcome
Coffee first.
`,
    days: [{ label: 'Saturday, June 7', monthDay: '06-07', talks: [{ title: 'Welcome', time: '10:00' }] }],
  },
];

/** What the table compares: the outline's fields a reader checks. */
function shapeOf(conference: Conference | undefined): { days: ExpectedDay[]; year?: number; timeZone?: string } {
  assert.ok(conference, 'not read as a conference note');
  const talk = (t: Talk): ExpectedTalk => {
    const { range: _range, images: _images, brokenImages: _broken, links, ...rest } = t;
    return { ...rest, ...(links.length ? { links: links.map((link) => `${link.kind} ${link.url}`) } : {}) };
  };
  return {
    days: conference.days.map((day) => ({ ...day, talks: day.talks.map(talk) })),
    ...(conference.year !== undefined && { year: conference.year }),
    ...(conference.timeZone !== undefined && { timeZone: conference.timeZone }),
  };
}

describe('talk shapes: conference notes as people write them', () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const vault = await openVault({ 'Conference.md': shape.note });
      const outline = getConferenceOutline(vault.service.vaults[0], vault.uri('Conference.md'));
      const expected = { days: shape.days, ...(shape.year !== undefined && { year: shape.year }), ...(shape.timeZone !== undefined && { timeZone: shape.timeZone }) };
      assert.deepEqual(shapeOf(outline), expected);
    });
  }

  it('has at least ten shapes, Korean and English', () => {
    assert.ok(SHAPES.length >= 10);
    assert.ok(SHAPES.some((shape) => /[가-힣]/.test(shape.note)) && SHAPES.some((shape) => !/[가-힣]/.test(shape.note)));
  });
});

describe('talk shapes: the extra patterns setting', () => {
  const note = `---
tags: conference
---
# Hackfest

Tag 1
## 10:00 Kickoff @Aula
👤 Kim Lee
Welcome and rules.

Tag 2
## 09:00 Demos @Keller
👤 Jo Park
Everyone shows what they built.
`;

  it('reads days, rooms and speakers an event writes its own way', async () => {
    const vault = await openVault({ 'Conference.md': note });
    const patterns = compileTalkPatterns({ day: ['^(Tag \\d+)$'], room: ['@(\\w+)'], speaker: ['^👤\\s*(.+)$'] });
    assert.deepEqual(patterns?.refused, []);
    const outline = getConferenceOutline(vault.service.vaults[0], vault.uri('Conference.md'), { patterns });
    assert.deepEqual(shapeOf(outline).days, [
      { label: 'Tag 1', talks: [{ title: 'Kickoff', time: '10:00', room: 'Aula', speaker: 'Kim Lee' }] },
      { label: 'Tag 2', talks: [{ title: 'Demos', time: '09:00', room: 'Keller', speaker: 'Jo Park' }] },
    ]);
    // Without them, the same note has no days and the rooms stay in the titles.
    const plain = shapeOf(getConferenceOutline(vault.service.vaults[0], vault.uri('Conference.md'))).days;
    assert.deepEqual(plain.map((day) => day.label), ['']);
    assert.deepEqual(plain[0].talks.map((talk) => talk.title), ['Kickoff @Aula', 'Demos @Keller']);
  });

  it('refuses patterns a linear-time engine cannot run, and runs catastrophic ones in linear time', () => {
    const patterns = compileTalkPatterns({ track: ['(\\w)\\1', '(?<=x)y', '(a+)+$'], day: ['x'.repeat(501)] });
    assert.equal(patterns?.track.length, 1, 'only (a+)+$ compiles');
    assert.equal(patterns?.refused.length, 3, patterns?.refused.join('\n'));
    // Exponential on a backtracking engine; RE2 answers at once.
    assert.equal(patterns?.track[0].find('a'.repeat(5000) + 'b'), undefined);
  });
});
