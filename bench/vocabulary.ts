/** Words the generated vaults are written in: English and Korean, as in the seed notes. */

export const ENGLISH_WORDS = [
  'service', 'pipeline', 'cluster', 'latency', 'cache', 'deploy', 'review', 'design', 'metric', 'schema',
  'query', 'index', 'worker', 'queue', 'stream', 'batch', 'model', 'feature', 'release', 'incident',
  'rollback', 'config', 'gateway', 'session', 'token', 'storage', 'replica', 'shard', 'vector', 'graph',
  'search', 'ranking', 'training', 'inference', 'budget', 'roadmap', 'meeting', 'retro', 'planning', 'hiring',
  'onboarding', 'security', 'audit', 'backup', 'network', 'browser', 'mobile', 'android', 'kotlin', 'swift',
  'react', 'compiler', 'parser', 'runtime', 'memory', 'thread', 'kernel', 'driver', 'protocol', 'editor',
  'notebook', 'dataset', 'label', 'experiment', 'dashboard', 'alert', 'tracing', 'logging', 'sampling', 'quota',
];

export const KOREAN_WORDS = [
  '데이터', '파이프라인', '배포', '검토', '설계', '지표', '회의', '회고', '계획', '채용',
  '보안', '감사', '백업', '네트워크', '모바일', '컴파일러', '런타임', '메모리', '스레드', '커널',
  '실험', '대시보드', '경보', '추적', '로그', '샘플링', '할당량', '검색', '랭킹', '학습',
  '추론', '예산', '로드맵', '온보딩', '장애', '복구', '성능', '최적화', '서버', '클라이언트',
  '사용자', '요구사항', '문서', '테스트', '품질', '운영', '모니터링', '아키텍처', '인프라', '개발자',
];

export const KOREAN_PARTICLES = ['은', '는', '이', '가', '을', '를', '에서', '으로', '와', '의', '에', '도'];

export const KOREAN_ENDINGS = ['했다.', '한다.', '필요하다.', '검토 중이다.', '정리했다.', '개선했다.', '논의했다.', '확인했다.'];

export const ENGLISH_VERBS = ['reduced', 'improved', 'measured', 'reviewed', 'migrated', 'documented', 'replaced', 'split', 'merged', 'profiled'];

export const HEADING_WORDS = [
  'Overview', 'Background', 'Design notes', 'Open questions', 'Action items', 'Decisions', 'Metrics', 'Timeline',
  'Risks', 'References', 'Summary', 'Next steps', 'Lessons learned', 'Follow-up', 'Architecture', 'Benchmarks',
  '개요', '배경', '설계 결정', '남은 질문', '할 일', '결정 사항', '지표 정리', '일정', '위험 요소', '참고 자료',
  '요약', '다음 단계', '배운 점', '후속 조치', '구조', '성능 측정',
];

export const TOP_FOLDERS = ['Projects', 'Areas', 'Resources', 'Archive', 'Meetings', '프로젝트', '회의록', '자료'];

export const TAGS = ['project', 'meeting', 'idea', 'reference', 'todo', 'review', '회의', '아이디어', '정리', 'ml', 'infra', 'mobile'];

export const CODE_LANGUAGES = ['ts', 'python', 'sql', 'yaml', 'kotlin', 'bash'];
