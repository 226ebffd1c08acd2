import * as assert from 'node:assert/strict';
import { parseNote } from '../../server/src/core/parser';
import { provideDocumentSymbols } from '../../server/src/features/documentSymbols';
import { parseDate, parseDayLine, parseSpeakerLine, parseTalkHeading } from '../../server/src/core/talkPatterns';
import { getConferenceOutline, getConferences, isConferenceNote, type Conference, type Talk } from '../../server/src/features/talks';
import { DEVIEW_NOTE, LINE_NOTE, openVault, seedFiles } from '../kit/vault';

/** A talk as a reader lists it: everything but the heading range. */
type Listed = Omit<Talk, 'range'>;

/** The outline of `name` in a vault of `files`. */
async function outlineOf(files: Record<string, string>, name: string): Promise<Conference | undefined> {
  const vault = await openVault(files);
  return getConferenceOutline(vault.service.vaults[0], vault.uri(name));
}

/** Days as `{ label, date?, talks }` with each talk listed without its range. */
function listed(conference: Conference | undefined): Array<{ label: string; date?: string; talks: Listed[] }> {
  assert.ok(conference, 'expected a conference note');
  return conference.days.map((day) => ({ ...day, talks: day.talks.map(({ range: _range, ...talk }) => talk) }));
}

/** The one talk of a one-day, one-talk note. */
async function onlyTalk(text: string, files: Record<string, string> = {}): Promise<Listed> {
  const [day] = listed(await outlineOf({ ...files, 'Conf.md': text }, 'Conf.md'));
  assert.equal(day.talks.length, 1, JSON.stringify(day.talks));
  return day.talks[0];
}

const TAGGED = '---\ntags: [conference]\n---\n';

describe('talks: the seed conference notes', () => {
  it('lists the eleven talks of the Line Developer Day note, on one unlabelled day', async () => {
    const outline = await outlineOf(seedFiles(), LINE_NOTE);
    assert.equal(outline?.title, '2021 Line Developer Day');
    const slides = (path: string, label = '발표자료 바로가기') => ({ kind: 'slides' as const, url: `https://speakerdeck.com/line_devday2021/${path}`, label });
    assert.deepEqual(listed(outline), [
      {
        label: '',
        talks: [
          // `Idea` is the author's own section and the table of contents is no talk.
          { title: 'Opening Keynote', links: [], images: 0, brokenImages: 0 },
          {
            title: '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개',
            // On the event's own site (the note's first link): the session page.
            links: [{ kind: 'page', url: 'https://linedevday.linecorp.com/2021/ko/live/track4', label: '바로가기' }],
            images: 0,
            brokenImages: 0,
          },
          { title: 'Lupus – MLOps 가속화를 위한 모니터링 시스템', links: [], images: 1, brokenImages: 1 },
          // The Cloudflare article is a reference the author added, not the talk's.
          { title: 'LINT: HTTP/2와 TLS를 통한 네트워크 현대화', links: [slides('2-and-tls')], images: 3, brokenImages: 3 },
          { title: 'KSETL로 Kafka 스트림 ETL 시스템을 빠르게 구성하기', links: [], images: 0, brokenImages: 0 },
          { title: 'LINE 플랫폼 서버의 장애 대응 프로세스와 문화', links: [slides('outage-handling-process-and-culture-of-the-line-platform-server')], images: 7, brokenImages: 7 },
          { title: 'TCP로 인한 대규모 Kafka 클러스터 요청 지연 문제 해결 사례', links: [slides('investigating-request-delay-in-a-large-scale-kafka-cluster-caused-by-tcp')], images: 21, brokenImages: 21 },
          // Kyverno's docs and node-problem-detector are references too.
          { title: 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime', speaker: '이승', links: [], images: 5, brokenImages: 5 },
          { title: 'Zero-Downtime Kubernetes Cluster Upgrade Solution', links: [], images: 3, brokenImages: 3 },
          {
            title: 'LINE Pay 모니터링 시스템 구축과 ML을 이용한 비정상 로그 탐지',
            links: [slides('building-line-pay-monitoring-system-and-anomaly-log-detection-system-using-ml'), { kind: 'video', url: 'https://www.youtube.com/watch?v=ynB3i3bonFo', label: '영상자료 바로가기' }],
            images: 3,
            brokenImages: 3,
          },
          {
            title: '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라',
            links: [{ kind: 'video', url: 'https://www.youtube.com/watch?v=jXN0AhOt_8A', label: '발표 영상 바로가기' }, slides('reliable-log-aggregation-system-in-multi-tenant-kubernetes-cluster', '발표 자료 바로가기')],
            images: 0,
            brokenImages: 0,
          },
        ],
      },
    ]);
    const total = outline!.days[0].talks.reduce((sum, talk) => sum + talk.images, 0);
    assert.equal(total, 43, 'every embedded image of the note belongs to a talk');
  });

  it('lists the seven DEVIEW 2018 talks by day, with times and normalized tracks', async () => {
    const outline = await outlineOf(seedFiles(), DEVIEW_NOTE);
    assert.equal(outline?.title, 'DEVIEW 2018');
    const talk = (title: string, time: string, track?: string): Listed => ({ title, time, ...(track ? { track } : {}), links: [], images: 0, brokenImages: 0 });
    assert.deepEqual(listed(outline), [
      // `1일차, 18.10.11 15:00`: the talk's own time is in its heading.
      { label: '1일차', date: '2018-10-11', talks: [talk('쿠팡 서비스 클라우드 마이그레이션', '16:00')] },
      // The note writes the second day's date as 18.10.11 too; it is reported as written.
      {
        label: '2일차',
        date: '2018-10-11',
        talks: [
          talk('인공지능이 인공지능 챗봇을 만들다', '10:00', 'Track 1'),
          talk('Hadoop Cluster', '11:00', 'Track 1'),
          talk('대형 컨테이너 클러스터에서의 고가용성', '12:00', 'Track 3'),
          talk('네이버 검색과 개인화', '14:00'),
          talk('Druid', '15:00', 'Track 1'),
          talk('Search Reliability Engineering', '16:00', 'Track 1'),
        ],
      },
    ]);
  });

  it('gives each talk the range of its heading line', async () => {
    const outline = await outlineOf(seedFiles(), DEVIEW_NOTE);
    const druid = outline!.days[1].talks.find((talk) => talk.title === 'Druid')!;
    assert.deepEqual(druid.range, { start: { line: 389, character: 0 }, end: { line: 389, character: '## 15:00, Track1, Druid'.length } });
  });

  it('finds both seed notes vault-wide, sorted by title', async () => {
    const vault = await openVault({ ...seedFiles(), 'Shopping.md': '# Shopping\n\n- milk\n' });
    const conferences = getConferences(vault.service.vaults[0]);
    assert.deepEqual(conferences.map((c) => c.title), ['2021 Line Developer Day', 'DEVIEW 2018']);
    assert.deepEqual(conferences.map((c) => c.uri), [vault.uri(LINE_NOTE), vault.uri(DEVIEW_NOTE)]);
  });

  it('shows talk details in the document symbols of both notes, headings unchanged', async () => {
    const files = seedFiles();
    const deview = provideDocumentSymbols(parseNote(files[DEVIEW_NOTE]));
    assert.deepEqual(
      deview[0].children!.map((symbol) => [symbol.name, symbol.detail]),
      [
        ['쿠팡 서비스 클라우드 마이그레이션, 16:00', '16:00'],
        ['10:00, Track1, 인공지능이 인공지능 챗봇을 만들다', '10:00 · Track 1'],
        ['11:00 track1, Hadoop Cluster', '11:00 · Track 1'],
        ['12:00, Track3, 대형 컨테이너 클러스터에서의 고가용성', '12:00 · Track 3'],
        ['14:00, 네이버 검색과 개인화', '14:00'],
        ['15:00, Track1, Druid', '15:00 · Track 1'],
        ['16:00, Track1, Search Reliability Engineering', '16:00 · Track 1'],
      ],
    );
    assert.equal(deview[0].detail, '', 'the title heading is no talk');
    const line = provideDocumentSymbols(parseNote(files[LINE_NOTE]));
    assert.equal(line.find((symbol) => symbol.name.startsWith('PIPE'))?.detail, '이승');
    assert.equal(line.find((symbol) => symbol.name === 'Idea')?.detail, '');
  });
});

describe('talks: recognizing a conference note', () => {
  it('takes front matter tags or categories saying conference, in any case', () => {
    assert.ok(isConferenceNote(parseNote('---\ntags: [Conference, go]\n---\n# A\n# B\n')));
    assert.ok(isConferenceNote(parseNote('---\ncategories: CONFERENCE\n---\n')));
    assert.ok(isConferenceNote(parseNote('---\ntags: events/conference\n---\n')));
    assert.ok(!isConferenceNote(parseNote('---\ntags: [conferencing]\n---\n# A\n')));
  });

  it('takes a note whose title heading names an event and whose sections are talks', () => {
    assert.ok(isConferenceNote(parseNote('# KubeCon 2023\n## 10:00 Opening\n## 11:00 Operators\n')));
    assert.ok(isConferenceNote(parseNote('# PyCon\n## Async\n- Speaker: Jane\n## Typing\n- Speaker: Joe\n')));
    assert.ok(isConferenceNote(parseNote('# 사내 세미나\n\n1일차\n## 쿠버네티스\n## 카프카\n')), 'day lines make its sections talks');
  });

  it('leaves ordinary notes alone', () => {
    assert.ok(!isConferenceNote(parseNote('# Shopping\n\n- milk\n')));
    assert.ok(!isConferenceNote(parseNote('# Meeting 2021-05-03\n## Agenda\n## Action items\n')), 'a year, but no talks');
    assert.ok(!isConferenceNote(parseNote('# Recipes\n## 10:00 Bread\n## 11:00 Soup\n')), 'times, but no event');
    assert.ok(!isConferenceNote(parseNote('# Icon design 101\n## Tips\n')));
    assert.ok(!isConferenceNote(parseNote('')));
  });

  it('finds no outline for a note that is not a conference', async () => {
    assert.equal(await outlineOf({ 'Plain.md': '# Plain\n\ntext\n' }, 'Plain.md'), undefined);
  });
});

describe('talks: reading talks', () => {
  it('puts a note without day lines on one day with an empty label', async () => {
    const outline = await outlineOf({ 'Conf.md': `${TAGGED}# First\n# Second\n` }, 'Conf.md');
    assert.deepEqual(listed(outline), [
      {
        label: '',
        talks: [
          // Nothing written under either heading yet.
          { title: 'First', links: [], images: 0, brokenImages: 0, needsNotes: true },
          { title: 'Second', links: [], images: 0, brokenImages: 0, needsNotes: true },
        ],
      },
    ]);
  });

  it('takes the time at either end and the track in any spelling', () => {
    assert.deepEqual(parseTalkHeading('쿠팡 서비스 클라우드 마이그레이션, 16:00'), { title: '쿠팡 서비스 클라우드 마이그레이션', time: '16:00', track: undefined });
    assert.deepEqual(parseTalkHeading('11:00 track1, Hadoop Cluster'), { title: 'Hadoop Cluster', time: '11:00', track: 'Track 1' });
    assert.deepEqual(parseTalkHeading('Druid (Track 2)'), { title: 'Druid', time: undefined, track: 'Track 2' });
    assert.deepEqual(parseTalkHeading('9:30 - 10:10 | 트랙 3 | Kafka'), { title: 'Kafka', time: '09:30', endTime: '10:10', track: 'Track 3' });
    assert.deepEqual(parseTalkHeading('[14:00] Keynote, Track A'), { title: 'Keynote', time: '14:00', track: 'Track A' });
  });

  it('never takes a time or track out of the middle of a title', () => {
    assert.deepEqual(parseTalkHeading('LINT: HTTP/2와 TLS를 통한 네트워크 현대화'), { title: 'LINT: HTTP/2와 TLS를 통한 네트워크 현대화', time: undefined, track: undefined });
    assert.deepEqual(parseTalkHeading('Tracking 10:00 meetings at scale'), { title: 'Tracking 10:00 meetings at scale', time: undefined, track: undefined });
  });

  it('reads trailing times and lowercase tracks in a note', async () => {
    const talk = await onlyTalk(`${TAGGED}# Observability at scale, track2, 13:30\n`);
    assert.deepEqual(talk, { title: 'Observability at scale', time: '13:30', track: 'Track 2', links: [], images: 0, brokenImages: 0, needsNotes: true });
  });

  it('reads speakers from 발표자, 연사 and Speaker: lines, and only those', async () => {
    assert.equal((await onlyTalk(`${TAGGED}# Talk\n- Speaker: Jane Doe\n`)).speaker, 'Jane Doe');
    assert.equal((await onlyTalk(`${TAGGED}# Talk\n\n**연사**: [김철수](https://example.com/kim)\n`)).speaker, '김철수');
    assert.equal(parseSpeakerLine('- 발표자 이승'), '이승');
    assert.equal(parseSpeakerLine('Presented by Joe'), 'Joe');
    assert.equal(parseSpeakerLine('- [발표자료 바로가기](https://speakerdeck.com/x)'), undefined);
    assert.equal(parseSpeakerLine('발표자료: 공유 예정'), undefined);
    assert.equal(parseSpeakerLine('Speaker notes are hidden'), undefined);
    assert.equal(parseSpeakerLine('- 발표자 소개: 10년차 개발자'), undefined);
    assert.equal(parseSpeakerLine('발표자 분이 데모를 라이브로 보여주셨는데 인상적이었다'), undefined);
    assert.equal((await onlyTalk(`${TAGGED}# Talk\n\`\`\`\nSpeaker: in code\n\`\`\`\n`)).speaker, undefined);
  });

  it('starts days at day lines and day headings, with dates normalized', async () => {
    const byLines = `${TAGGED}# Welcome\n\nDay 1 (2021.11.10, Wed)\n## 10:00 A\n\n**2일차**\n## 10:00 B\n`;
    const days = (text: string) => outlineOf({ 'Conf.md': text }, 'Conf.md').then((outline) => listed(outline).map((day) => ({ label: day.label, date: day.date, talks: day.talks.map((talk) => talk.title) })));
    assert.deepEqual(await days(byLines), [
      { label: 'Day 1', date: '2021-11-10', talks: ['A'] },
      { label: '2일차', date: undefined, talks: ['B'] },
    ]);
    const byHeadings = `${TAGGED}# Welcome\n## Day 1 – 2021년 11월 11일\n### 10:00 A\n### 11:00 B\n## 2021.11.12 (금)\n### 10:00 C\n`;
    assert.deepEqual(await days(byHeadings), [
      { label: 'Day 1', date: '2021-11-11', talks: ['A', 'B'] },
      { label: '2021.11.12 (금)', date: '2021-11-12', talks: ['C'] },
    ]);
  });

  it('keeps talks written before the first day line on an unlabelled day', async () => {
    const days = listed(await outlineOf({ 'Conf.md': `${TAGGED}# Keynote\n\n1일차\n# Talk\n` }, 'Conf.md'));
    assert.deepEqual(days.map((day) => [day.label, day.talks.map((talk) => talk.title)]), [['', ['Keynote']], ['1일차', ['Talk']]]);
  });

  it('does not take prose or code for a day line', async () => {
    assert.equal(parseDayLine('2일차에 다시 설명했다'), undefined);
    assert.equal(parseDayLine('  - 1일차'), undefined, 'a nested bullet is part of the talk');
    assert.deepEqual(parseDayLine('1일차, 18.10.11 15:00'), { label: '1일차', date: '2018-10-11' });
    const days = listed(await outlineOf({ 'Conf.md': `${TAGGED}# A\n\`\`\`\n2일차\n\`\`\`\n# B\n` }, 'Conf.md'));
    assert.deepEqual(days.map((day) => day.label), ['']);
  });

  it('normalizes full dates and never completes a partial one', () => {
    assert.equal(parseDate('18.10.11'), '2018-10-11');
    assert.equal(parseDate('2021-11-10'), '2021-11-10');
    assert.equal(parseDate('2021년 3월 5일'), '2021-03-05');
    assert.equal(parseDate('10월 12일'), undefined);
    assert.equal(parseDate('10.12'), undefined);
  });

  it('counts a talk\'s images and the broken ones, through the vault\'s resolver', async () => {
    const text = `${TAGGED}# Talk\n![[diagram.png]]\n- ![[missing.png]]\n![chart](img/chart.png)\n![remote](https://example.com/x.png)\n![[Other note]]\n# Next\n![[gone.jpg]]\n`;
    const vault = await openVault({ 'Conf.md': text, 'assets/diagram.png': '', 'Other note.md': '' });
    const [talk, next] = getConferenceOutline(vault.service.vaults[0], vault.uri('Conf.md'))!.days[0].talks;
    // diagram.png resolves by name; the missing one and img/chart.png do not;
    // a remote image is never fetched, so never broken; a note embed is no image.
    assert.deepEqual([talk.images, talk.brokenImages], [4, 2]);
    assert.deepEqual([next.images, next.brokenImages], [1, 1]);
  });

  it('classifies slides, video and session pages, and leaves references out', async () => {
    const text = [
      '---',
      'tags: conference',
      'website: https://conf.example.org',
      '---',
      '# Talk',
      '- [slides](https://www.slideshare.net/jane/talk)',
      '- [발표자료](https://drive.example.com/file/1)',
      '- [recording](https://vimeo.com/123)',
      '- [다시보기 영상](https://media.example.net/v/9)',
      '- [session](https://conf.example.org/2021/sessions/42)',
      '- [docs](https://kubernetes.io/docs/)',
      '- youtu.be link: https://youtu.be/abc123.',
      '- `https://youtube.com/in-code`',
      '',
    ].join('\n');
    const talk = await onlyTalk(text);
    assert.deepEqual(talk.links, [
      { kind: 'slides', url: 'https://www.slideshare.net/jane/talk', label: 'slides' },
      { kind: 'slides', url: 'https://drive.example.com/file/1', label: '발표자료' },
      { kind: 'video', url: 'https://vimeo.com/123', label: 'recording' },
      { kind: 'video', url: 'https://media.example.net/v/9', label: '다시보기 영상' },
      { kind: 'page', url: 'https://conf.example.org/2021/sessions/42', label: 'session' },
      { kind: 'video', url: 'https://youtu.be/abc123' },
    ]);
  });

  it('takes a link in the talk heading as its page and the linked text as its title', async () => {
    const talk = await onlyTalk(`${TAGGED}# 10:00 [Serverless in practice](https://events.example.com/s/7)\n`);
    assert.deepEqual(talk, { title: 'Serverless in practice', time: '10:00', links: [{ kind: 'page', url: 'https://events.example.com/s/7', label: 'Serverless in practice' }], images: 0, brokenImages: 0, needsNotes: true });
  });

  it('finds talks at the level that lists sessions, skipping the author\'s sections', async () => {
    const text = `${TAGGED}# DevDay 2022\n## Talks\n### 10:00 A\n### 11:00 B\n#### Q&A\n## My notes\n## 회고\n`;
    const days = listed(await outlineOf({ 'Conf.md': text }, 'Conf.md'));
    assert.deepEqual(days[0].talks.map((talk) => talk.title), ['A', 'B']);
    const flat = listed(await outlineOf({ 'Conf.md': `${TAGGED}# Idea\n# Keynote\n# 메모\n## Contents\n- [[#Keynote]]\n- [[#Idea]]\n` }, 'Conf.md'));
    assert.deepEqual(flat[0].talks.map((talk) => talk.title), ['Keynote']);
  });

  it('takes the title from front matter, then the title heading, then the file name', async () => {
    assert.equal((await outlineOf({ 'c.md': '---\ntags: conference\ntitle: Named\n---\n# Heading\n## A\n' }, 'c.md'))?.title, 'Named');
    assert.equal((await outlineOf({ 'c.md': '---\ntags: conference\n---\n# Heading\n## A\n' }, 'c.md'))?.title, 'Heading');
    assert.equal((await outlineOf({ 'notes/JSConf Korea.md': '---\ntags: conference\n---\n# A\n# B\n' }, 'notes/JSConf Korea.md'))?.title, 'JSConf Korea');
  });
});
