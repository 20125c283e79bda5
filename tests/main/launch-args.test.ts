import { describe, expect, it } from 'vitest';
import { projectDirFromArgv } from '../../src/main/launch-args';

describe('the project a launch names', () => {
  it('finds a .rnnlab folder among the arguments, relative to the launch folder', () => {
    expect(projectDirFromArgv(['/opt/rnn-lab', 'work/Time machine.rnnlab'], '/home/u')).toBe('/home/u/work/Time machine.rnnlab');
    expect(projectDirFromArgv(['/opt/rnn-lab', '/data/a.rnnlab/'], '/home/u')).toBe('/data/a.rnnlab');
    expect(projectDirFromArgv(['/opt/rnn-lab', '/data/A.RNNLAB'], '/')).toBe('/data/A.RNNLAB');
  });

  it('skips the executable, flags and other arguments, and takes the last project named', () => {
    expect(projectDirFromArgv(['/x/electron', '.', '--inspect=9229', '--foo=/a.rnnlab', '/p/one.rnnlab', 'notes.txt', '/p/two.rnnlab'], '/')).toBe('/p/two.rnnlab');
    expect(projectDirFromArgv(['/home/u/proj.rnnlab'], '/')).toBeNull(); // argv[0] is the executable
  });

  it('answers null when no project is named', () => {
    expect(projectDirFromArgv([], '/')).toBeNull();
    expect(projectDirFromArgv(['/opt/rnn-lab', '--no-sandbox', 'out/main/index.js'], '/home/u')).toBeNull();
    expect(projectDirFromArgv(['/opt/rnn-lab', '.rnnlab-lock'], '/home/u')).toBeNull();
  });
});
