// The two markdown-it plugins the preview uses ship no type declarations.
declare module 'markdown-it-mark' {
  import type MarkdownIt from 'markdown-it';
  const markPlugin: MarkdownIt.PluginSimple;
  export = markPlugin;
}

declare module 'markdown-it-obsidian-callouts' {
  import type MarkdownIt from 'markdown-it';
  const calloutsPlugin: MarkdownIt.PluginWithOptions<{ icons?: Record<string, string> }>;
  export = calloutsPlugin;
}
