/* cmd_merge.c - `grader merge`: the outputs of N `grader grade --shard K/N`
 * runs joined into the reports of one run. It is grade's own cohort-wide
 * stage (cmd_grade.c) fed with the shards' exported submissions and
 * per-post results (scores, fingerprints: shard_merge_cohort) in place of
 * the repositories, so the reports are those of one run by construction,
 * byte for byte, and no post is scored again. */
#include "cmd.h"
#include "options.h"

const opt_command cmd_merge_options = {
    "merge",
    "usage: grader merge --roster FILE [options] SHARD_DIR...\n"
    "\n"
    "Join the outputs of grader grade --shard K/N (each shard's -o folder, all\n"
    "N of them, in any order) into the reports one grader grade of the whole\n"
    "roster would have written, byte for byte:\n"
    "  OUT/gradebook.csv, OUT/feedback/ID.md, OUT/summary.html,\n"
    "  OUT/similarity.csv (the similarity pass over the whole cohort: a copy\n"
    "  between two shards is found), and OUT/manifest.csv (the manifest one\n"
    "  grader fetch of the whole roster would have written), roster order.\n"
    "No repository is read and no post scored again: each shard exported its\n"
    "students' submissions, scores and fingerprints (SHARD_DIR/shard.dat,\n"
    "SHARD_DIR/manifest.csv); the merge joins the fingerprints.\n"
    "\n"
    "Refused, with nothing written (exit 2): shards of another N, roster,\n"
    "rubric or known sources, one missing or given twice, a student not\n"
    "where its shard should have it, a shard.dat of another version.\n"
    "\n",
    grade_merge_table,
    "\n"
    "The time on the summary page is the latest shard's, or SOURCE_DATE_EPOCH.\n"
    "\n"
    "exit: as grader grade: 0 every student passed, 1 some student failed or\n"
    "      had nothing to grade, 2 usage error or shards that do not belong\n"
    "      together, 3 could not complete\n",
    OPT_ARGS_ANY,
};

int cmd_merge(int argc, char **argv)
{
    return grade_main(argc, argv, &cmd_merge_options);
}
