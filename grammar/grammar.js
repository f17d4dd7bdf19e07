/**
 * @file A Dockerfile grammar that draws the same instruction boundaries as BuildKit's parser.
 * @license MIT OR Apache-2.0
 *
 * Dockerfiles are line-oriented and context-sensitive: the escape character is chosen by a
 * directive, a line continuation depends on the character before it, heredoc bodies follow the
 * line that names them, and an argument list is JSON only when the whole logical line parses as
 * a JSON array of strings. All of that is decided in `src/scanner.c`, so every token here is an
 * external one and this file only says how tokens group into instructions.
 *
 * The grammar is total: any text parses without ERROR nodes. Input that BuildKit rejects
 * (nested JSON arrays, an unterminated heredoc, `ENV` without a value, ...) parses into the
 * nearest plain shape and is reported by the semantic model.
 */

/* eslint-disable no-undef */

const KEYWORDS = [
  'from',
  'run',
  'cmd',
  'label',
  'maintainer',
  'expose',
  'env',
  'add',
  'copy',
  'entrypoint',
  'volume',
  'user',
  'workdir',
  'arg',
  'onbuild',
  'stopsignal',
  'healthcheck',
  'shell',
];

module.exports = grammar({
  name: 'dockerfile',

  externals: $ => [
    $._newline,
    $.line_continuation,
    $.comment,
    $.directive,
    $._bom,
    ...KEYWORDS.map(k => $[`_kw_${k}`]),
    $._kw_unknown,
    $.flag,
    $._flags_end,
    $.json_array,
    $.word,
    $._as_kw,
    $.shell_fragment,
    $.heredoc_marker,
    $.heredoc_content,
    $.heredoc_end,
    $._chunk_end,
    $._error_sentinel,
  ],

  extras: $ => [$.line_continuation, $.comment],

  // Each reduction of a hidden rule builds a node the tree never shows, which is a large share
  // of parsing a big file; inlined, their tokens are the instruction's children directly.
  inline: $ => [$._json_form, $._copy_arg],

  rules: {
    source_file: $ => seq(
      optional($._bom),
      repeat($.directive),
      repeat($._chunk),
    ),

    // Instructions in groups, so that a reparse can reuse a whole group (see `src/scanner.c`).
    // Hidden: the tree shows instructions as children of `source_file`.
    _chunk: $ => seq($._instruction, repeat($._instruction), $._chunk_end),

    _instruction: $ => choice(
      $.from_instruction,
      $.run_instruction,
      $.cmd_instruction,
      $.label_instruction,
      $.maintainer_instruction,
      $.expose_instruction,
      $.env_instruction,
      $.add_instruction,
      $.copy_instruction,
      $.entrypoint_instruction,
      $.volume_instruction,
      $.user_instruction,
      $.workdir_instruction,
      $.arg_instruction,
      $.onbuild_instruction,
      $.stopsignal_instruction,
      $.healthcheck_instruction,
      $.shell_instruction,
      $.unknown_instruction,
    ),

    from_instruction: $ => seq(
      ...head($, $._kw_from),
      optional(seq(
        field('image', alias($.word, $.image_spec)),
        optional(choice(
          seq(
            alias($._as_kw, $.keyword),
            optional(seq(field('name', alias($.word, $.stage_name)), repeat($.word))),
          ),
          repeat1($.word),
        )),
      )),
      $._newline,
    ),

    run_instruction: $ => seq(
      ...head($, $._kw_run),
      optional(choice($._json_form, $.shell_command)),
      $._newline,
      repeat($.heredoc),
    ),

    cmd_instruction: $ => exec_or_shell($, $._kw_cmd),
    entrypoint_instruction: $ => exec_or_shell($, $._kw_entrypoint),
    shell_instruction: $ => exec_or_shell($, $._kw_shell),

    add_instruction: $ => copy_like($, $._kw_add),
    copy_instruction: $ => copy_like($, $._kw_copy),

    volume_instruction: $ => seq(
      ...head($, $._kw_volume),
      optional(choice($._json_form, repeat1($.word))),
      $._newline,
    ),

    label_instruction: $ => words_only($, $._kw_label),
    maintainer_instruction: $ => words_only($, $._kw_maintainer),
    expose_instruction: $ => words_only($, $._kw_expose),
    env_instruction: $ => words_only($, $._kw_env),
    user_instruction: $ => words_only($, $._kw_user),
    workdir_instruction: $ => words_only($, $._kw_workdir),
    arg_instruction: $ => words_only($, $._kw_arg),
    stopsignal_instruction: $ => words_only($, $._kw_stopsignal),
    unknown_instruction: $ => words_only($, $._kw_unknown),

    onbuild_instruction: $ => seq(
      ...head($, $._kw_onbuild),
      choice(field('trigger', $._instruction), $._newline),
    ),

    healthcheck_instruction: $ => seq(
      ...head($, $._kw_healthcheck),
      optional(seq(
        field('kind', alias($.word, $.healthcheck_kind)),
        optional(choice($._json_form, alias($._plain_shell_command, $.shell_command))),
      )),
      $._newline,
    ),

    // An exec-form argument list; text after the closing bracket is kept, as BuildKit ignores it.
    _json_form: $ => seq($.json_array, repeat(alias($.shell_fragment, $.trailing_text))),

    // RUN's shell form may name heredocs; the other shell forms may not.
    shell_command: $ => repeat1(choice($.shell_fragment, $.heredoc_marker)),

    _plain_shell_command: $ => repeat1($.shell_fragment),

    _copy_arg: $ => choice($.word, $.heredoc_marker),

    heredoc: $ => choice(
      prec.right(seq($.heredoc_content, optional($.heredoc_end))),
      $.heredoc_end,
    ),
  },
});

/**
 * The keyword, then BuildKit's `--flag` words, then an optional `--` that ends them.
 * @param {GrammarSymbols<string>} $
 * @param {RuleOrLiteral} keyword
 * @returns {RuleOrLiteral[]}
 */
function head($, keyword) {
  return [
    field('keyword', alias(keyword, $.keyword)),
    // The field names the repeat, not each flag: the tree shows the same `flag:` children, but
    // a field inside the repeat makes tree-sitter reduce every flag into a node of its own.
    field('flag', repeat($.flag)),
    optional(alias($._flags_end, '--')),
  ];
}

/**
 * CMD, ENTRYPOINT and SHELL: exec (JSON) form or shell form.
 * @param {GrammarSymbols<string>} $
 * @param {RuleOrLiteral} keyword
 * @returns {RuleOrLiteral}
 */
function exec_or_shell($, keyword) {
  return seq(
    ...head($, keyword),
    optional(choice($._json_form, alias($._plain_shell_command, $.shell_command))),
    $._newline,
  );
}

/**
 * COPY and ADD: JSON form, or words and heredoc markers whose bodies follow the line.
 * @param {GrammarSymbols<string>} $
 * @param {RuleOrLiteral} keyword
 * @returns {RuleOrLiteral}
 */
function copy_like($, keyword) {
  return seq(
    ...head($, keyword),
    // The first argument stands outside the repeat: most have two, and a repeat of one builds no
    // hidden node.
    optional(choice($._json_form, seq($._copy_arg, repeat($._copy_arg)))),
    $._newline,
    repeat($.heredoc),
  );
}

/**
 * Instructions whose arguments are plain text: the model splits them as BuildKit does (into
 * words, `k=v` pairs, ...), so the tree keeps them as whole lines, which keeps large files'
 * trees small and their parsing fast.
 * @param {GrammarSymbols<string>} $
 * @param {RuleOrLiteral} keyword
 * @returns {RuleOrLiteral}
 */
function words_only($, keyword) {
  return seq(
    ...head($, keyword),
    optional(alias($._plain_shell_command, $.arguments)),
    $._newline,
  );
}
