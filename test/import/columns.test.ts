/**
 * A CSV header's columns against its shape: a misspelt column refuses the file before any row
 * is read, with the column it was probably meant to be; other unknown columns are ignored and
 * listed; `--strict` refuses them too.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CASES } from '#functions/import/case-shapes.js';
import { checkColumns, editDistance, nearest } from '#functions/import/columns.js';
import { openRows, UnusableFileError } from '#functions/import/records.js';
import { ALL_SHAPES } from '#functions/import/shapes.js';

const read = (text: string, strict = false) =>
  openRows(Readable.from([text]), { shapes: ALL_SHAPES, strict });

describe('the edit distance between two column names', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours once each', () => {
    expect(editDistance('risk_level', 'risk_level')).toBe(0);
    // "ve" then "le" swapped: one
    expect(editDistance('risk_levle', 'risk_level')).toBe(1);
    // the "l" of "health" left out: one
    expect(editDistance('joint_with_mental_heath', 'joint_with_mental_health')).toBe(1);
    // k→s, e→i, and a g added: three
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'team')).toBe(4);
  });

  it('takes a name as a misspelling only when it is near enough for its length', () => {
    const known = ['case_id', 'team', 'to', 'risk_level'];
    // Two edits for a long name; case aside
    expect(nearest('risk_lvl', known)).toBe('risk_level');
    expect(nearest('Risk_Level', known)).toBe('risk_level');
    // One for a name of four or five letters, none for a shorter one
    expect(nearest('tema', known)).toBe('team');
    expect(nearest('tame', known)).toBeUndefined();
    expect(nearest('id', known)).toBeUndefined();
    // Three edits is another column
    expect(nearest('risk_lv', known)).toBeUndefined();
  });
});

describe('a CSV header with columns its shape does not know', () => {
  const misspelt = 'case_id,opened_at,team,risk_levle,joint_with_mental_heath\n';

  it('refuses a misspelt column, naming the column it was probably meant to be', () => {
    expect(() => checkColumns(['case_id', 'opened_at', 'team', 'risk_levle'], CASES)).toThrow(
      'column `risk_levle` is not known — did you mean `risk_level`?',
    );
  });

  it('refuses the whole file before any row, naming every misspelt column', async () => {
    await expect(read(`${misspelt}C-1001,2030-01-10,north,high,Y\n`)).rejects.toThrow(
      new UnusableFileError(
        'column `risk_levle` is not known — did you mean `risk_level`?; column `joint_with_mental_heath` is not known — did you mean `joint_with_mental_health`?',
      ),
    );
  });

  it('says which column was meant when a required one is misspelt', async () => {
    await expect(read('case_idd,opened_at,team\nC-1001,2030-01-10,north\n')).rejects.toThrow(
      /^column `case_idd` is not known — did you mean `case_id`\?; the header .* matches no CSV shape/,
    );
  });

  it('ignores the columns of an extract it does not use, and lists each once', async () => {
    const file = await read(
      'case_id,opened_at,team,la_code,extract_date,la_code\nC-1001,2030-01-10,north,E09,2030-02-01,E09\n',
    );
    expect(file.shape?.name).toBe('cases');
    expect(file.ignored).toEqual(['la_code', 'extract_date']);
  });

  it('with --strict refuses any column the shape does not use', async () => {
    await expect(
      read('case_id,opened_at,team,la_code\nC-1001,2030-01-10,north,E09\n', true),
    ).rejects.toThrow(/^column `la_code` is not known to the cases shape \(--strict refuses it\)/);
    const exact = await read('case_id,opened_at,team\nC-1001,2030-01-10,north\n', true);
    expect(exact.ignored).toEqual([]);
  });
});
