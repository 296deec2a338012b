/**
 * Task-queue routing is checked by the compiler: a workflow that asks a queue for an activity its workers do not
 * serve must not compile. The TypeScript compiler checks two small workflow files against the real declarations.
 */
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

const wrap = (body: string) => `import { activitiesOn } from './activities-on';
import * as presets from './activity-options';
export async function check(): Promise<unknown> {
${body}
}
`;

/** Compiles workflow files (name → body) in one program against the real declarations; their errors by name. */
function diagnosticsOf(bodies: Record<string, string>): Record<string, string[]> {
  const files = new Map(
    Object.entries(bodies).map(([name, body]) => [path.join(root, 'workflows', `__${name}__.ts`), wrap(body)]),
  );
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(path.resolve(name)) ?? readFile(name);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(path.resolve(name)) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return Object.fromEntries(
    Object.keys(bodies).map((name) => [
      name,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(path.join(root, 'workflows', `__${name}__.ts`)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    ]),
  );
}

describe('activity routing', () => {
  const errors = diagnosticsOf({
    routed: `
  const { renderVideo, synthesizeNarration } = activitiesOn('media', presets.media());
  const { renderPostImage, renderReportPdf } = activitiesOn('browser', presets.render());
  const { generatePostCopy, sendEmail } = activitiesOn('main', presets.llm);
  return [renderVideo, synthesizeNarration, renderPostImage, renderReportPdf, generatePostCopy, sendEmail];`,
    misrouted: `
  const { renderPostImage } = activitiesOn('media', presets.media());
  const { renderVideo } = activitiesOn('main', presets.quick);
  return [renderPostImage, renderVideo];`,
  });

  it('compiles activities proxied on the queue that serves them', () => {
    expect(errors.routed).toEqual([]);
  });

  it('does not compile a browser activity proxied on the media queue, nor a media one on the main queue', () => {
    expect(errors.misrouted).toHaveLength(2);
    expect(errors.misrouted[0]).toMatch(/Property 'renderPostImage' does not exist/);
    expect(errors.misrouted[1]).toMatch(/Property 'renderVideo' does not exist/);
  });
});
