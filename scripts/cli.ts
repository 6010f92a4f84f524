/** nianbao — command-line entry point. */
import { Command } from 'commander';
import { registerArchiveCommands } from './commands/archive.ts';
import { registerCrawlCommands } from './commands/crawl.ts';
import { parseCommand } from './commands/parse.ts';
import { registerRegistryCommand } from './commands/registry.ts';

// `nianbao export | head`: a closed pipe ends the command quietly, as for any Unix tool
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command();
program.name('nianbao').description('Crawler and archive for 政府信息公开工作年度报告').version('0.1.0');

program
  .command('parse')
  .description('parse one report page (.html/.htm, any charset) or its text form (.txt/.md)')
  .argument('<file>', 'the page or text file')
  .option('--url <url>', 'the URL the page was fetched from (resolves attachment links)')
  .option('--json', 'print the canonical JSON of ../shared/spec/report-tables.md')
  .option('--form <form>', 'force the input form: html or text')
  .action(async (file: string, opts: { url?: string; json?: boolean; form?: string }) => {
    process.exitCode = await parseCommand(file, opts);
  });

registerArchiveCommands(program);
registerCrawlCommands(program);
registerRegistryCommand(program);

await program.parseAsync(process.argv);
