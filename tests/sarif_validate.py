#!/usr/bin/env python3
"""Validate a SARIF log against the SARIF 2.1.0 schema's (OASIS,
sarif-schema-2.1.0.json) constraints on the objects grader writes: each
object's required properties, its allowed properties (the schema sets
additionalProperties: false on all of them but propertyBag), enums,
minimums and types. Written from the schema's text; the schema itself is
not copied here. Usage: sarif_validate.py FILE (or - for stdin); exits 1
with one line per problem, naming its JSON path."""
import json
import sys

# object type: (required, allowed properties, {property: type or sub-check})
MSG_PROPS = {"text", "markdown", "id", "arguments", "properties"}
RULES = {
    "sarifLog": (["version", "runs"], {"$schema", "version", "runs", "inlineExternalProperties",
                                       "properties"}),
    "run": (["tool"], {"tool", "invocations", "conversion", "language", "versionControlProvenance",
                       "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
                       "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
                       "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
                       "columnKind", "externalPropertyFileReferences", "threadFlowLocations",
                       "taxonomies", "addresses", "translations", "policies", "webRequests",
                       "webResponses", "specialLocations", "properties"}),
    "tool": (["driver"], {"driver", "extensions", "properties"}),
    "toolComponent": (["name"], {"guid", "name", "organization", "product", "productSuite",
                                 "shortDescription", "fullDescription", "fullName", "version",
                                 "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc",
                                 "downloadUri", "informationUri", "globalMessageStrings",
                                 "notifications", "rules", "taxa", "locations", "language",
                                 "contents", "isComprehensive", "localizedDataSemanticVersion",
                                 "minimumRequiredLocalizedDataSemanticVersion",
                                 "associatedComponent", "translationMetadata",
                                 "supportedTaxonomies", "properties"}),
    "reportingDescriptor": (["id"], {"id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                                     "deprecatedNames", "shortDescription", "fullDescription",
                                     "messageStrings", "defaultConfiguration", "helpUri", "help",
                                     "relationships", "properties"}),
    "multiformatMessageString": (["text"], {"text", "markdown", "properties"}),
    "reportingConfiguration": ([], {"enabled", "level", "rank", "parameters", "properties"}),
    "invocation": (["executionSuccessful"], {
        "commandLine", "arguments", "responseFiles", "startTimeUtc", "endTimeUtc", "exitCode",
        "ruleConfigurationOverrides", "notificationConfigurationOverrides",
        "toolExecutionNotifications", "toolConfigurationNotifications", "exitCodeDescription",
        "exitSignalName", "exitSignalNumber", "processStartFailureMessage",
        "executionSuccessful", "machine", "account", "processId", "executableLocation",
        "workingDirectory", "environmentVariables", "stdin", "stdout", "stderr", "stdoutStderr",
        "properties"}),
    "notification": (["message"], {"locations", "message", "level", "threadId", "timeUtc",
                                   "exception", "descriptor", "associatedRule", "properties"}),
    "result": (["message"], {"ruleId", "ruleIndex", "rule", "kind", "level", "message",
                             "analysisTarget", "locations", "guid", "correlationGuid",
                             "occurrenceCount", "partialFingerprints", "fingerprints", "stacks",
                             "codeFlows", "graphs", "graphTraversals", "relatedLocations",
                             "suppressions", "baselineState", "rank", "attachments",
                             "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
                             "webRequest", "webResponse", "properties"}),
    "message": ([], MSG_PROPS),
    "location": ([], {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                      "relationships", "properties"}),
    "physicalLocation": ([], {"address", "artifactLocation", "region", "contextRegion",
                              "properties"}),
    "artifactLocation": ([], {"uri", "uriBaseId", "index", "description", "properties"}),
    "region": ([], {"startLine", "startColumn", "endLine", "endColumn", "charOffset",
                    "charLength", "byteOffset", "byteLength", "snippet", "message",
                    "sourceLanguage", "properties"}),
}
LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}

problems = []


def bad(path, what):
    problems.append(f"{path}: {what}")


def obj(path, value, kind):
    if not isinstance(value, dict):
        bad(path, f"{kind} must be an object")
        return False
    required, allowed = RULES[kind]
    for key in required:
        if key not in value:
            bad(path, f"{kind} lacks required '{key}'")
    for key in value:
        if key not in allowed:
            bad(path, f"'{key}' is not a property of {kind}")
    if "properties" in value and not isinstance(value["properties"], dict):
        bad(path + ".properties", "a property bag must be an object")
    return True


def array(path, value):
    if not isinstance(value, list):
        bad(path, "must be an array")
        return []
    return value


def integer(path, value, minimum):
    if not isinstance(value, int) or isinstance(value, bool):
        bad(path, "must be an integer")
    elif value < minimum:
        bad(path, f"must be at least {minimum}, not {value}")


def string(path, value):
    if not isinstance(value, str):
        bad(path, "must be a string")


def message(path, value):
    if obj(path, value, "message"):
        # the schema: a message has text or an id (anyOf)
        if "text" not in value and "id" not in value:
            bad(path, "message has neither 'text' nor 'id'")
        for key in ("text", "markdown", "id"):
            if key in value:
                string(f"{path}.{key}", value[key])


def mstring(path, value):
    if obj(path, value, "multiformatMessageString") and "text" in value:
        string(path + ".text", value["text"])


def level(path, value):
    if value not in LEVELS:
        bad(path, f"level must be one of {sorted(LEVELS)}, not {value!r}")


def location(path, value):
    if not obj(path, value, "location"):
        return
    pl = value.get("physicalLocation")
    if pl is None:
        return
    p = path + ".physicalLocation"
    if obj(p, pl, "physicalLocation"):
        if "address" not in pl and "artifactLocation" not in pl:
            bad(p, "physicalLocation has neither 'address' nor 'artifactLocation'")
        al = pl.get("artifactLocation")
        if al is not None and obj(p + ".artifactLocation", al, "artifactLocation"):
            uri = al.get("uri")
            if uri is not None:
                string(p + ".artifactLocation.uri", uri)
                if isinstance(uri, str) and any(c in uri for c in ' "<>\\^`{|}') or \
                        isinstance(uri, str) and any(ord(c) < 0x21 or ord(c) > 0x7e for c in uri):
                    bad(p + ".artifactLocation.uri", f"not a URI reference: {uri!r}")
        reg = pl.get("region")
        if reg is not None and obj(p + ".region", reg, "region"):
            for key in ("startLine", "startColumn", "endLine", "endColumn"):
                if key in reg:
                    integer(f"{p}.region.{key}", reg[key], 1)


def validate(log):
    if not obj("$", log, "sarifLog"):
        return
    if log.get("version") != "2.1.0":
        bad("$.version", f"must be \"2.1.0\", not {log.get('version')!r}")
    for i, run in enumerate(array("$.runs", log.get("runs", []))):
        rp = f"$.runs[{i}]"
        if not obj(rp, run, "run"):
            continue
        tool = run.get("tool")
        nrules = 0
        rule_ids = []
        if tool is not None and obj(rp + ".tool", tool, "tool"):
            drv = tool.get("driver")
            dp = rp + ".tool.driver"
            if drv is not None and obj(dp, drv, "toolComponent"):
                string(dp + ".name", drv.get("name"))
                for j, rule in enumerate(array(dp + ".rules", drv.get("rules", []))):
                    q = f"{dp}.rules[{j}]"
                    if obj(q, rule, "reportingDescriptor"):
                        string(q + ".id", rule.get("id"))
                        rule_ids.append(rule.get("id"))
                        for key in ("shortDescription", "fullDescription", "help"):
                            if key in rule:
                                mstring(f"{q}.{key}", rule[key])
                        conf = rule.get("defaultConfiguration")
                        if conf is not None and obj(q + ".defaultConfiguration", conf,
                                                    "reportingConfiguration"):
                            if "level" in conf:
                                level(q + ".defaultConfiguration.level", conf["level"])
                nrules = len(rule_ids)
        for j, inv in enumerate(array(rp + ".invocations", run.get("invocations", []))):
            q = f"{rp}.invocations[{j}]"
            if obj(q, inv, "invocation"):
                if not isinstance(inv.get("executionSuccessful"), bool):
                    bad(q + ".executionSuccessful", "must be a boolean")
                for k, n in enumerate(array(q + ".toolExecutionNotifications",
                                            inv.get("toolExecutionNotifications", []))):
                    np_ = f"{q}.toolExecutionNotifications[{k}]"
                    if obj(np_, n, "notification"):
                        message(np_ + ".message", n.get("message"))
                        if "level" in n:
                            level(np_ + ".level", n["level"])
                        for m, loc in enumerate(array(np_ + ".locations", n.get("locations", []))):
                            location(f"{np_}.locations[{m}]", loc)
        for j, res in enumerate(array(rp + ".results", run.get("results", []))):
            q = f"{rp}.results[{j}]"
            if not obj(q, res, "result"):
                continue
            message(q + ".message", res.get("message"))
            if "level" in res:
                level(q + ".level", res["level"])
            if "kind" in res and res["kind"] not in KINDS:
                bad(q + ".kind", f"kind must be one of {sorted(KINDS)}, not {res['kind']!r}")
            if "ruleIndex" in res:
                integer(q + ".ruleIndex", res["ruleIndex"], -1)
                idx = res["ruleIndex"]
                if isinstance(idx, int) and idx >= nrules:
                    bad(q + ".ruleIndex", f"{idx} is past the {nrules} rules")
                elif isinstance(idx, int) and idx >= 0 and res.get("ruleId") != rule_ids[idx]:
                    bad(q + ".ruleId", f"{res.get('ruleId')!r} is not rule {idx}'s id")
            for m, loc in enumerate(array(q + ".locations", res.get("locations", []))):
                location(f"{q}.locations[{m}]", loc)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "-"
    text = sys.stdin.read() if src == "-" else open(src, encoding="utf-8").read()
    try:
        log = json.loads(text)
    except ValueError as e:
        print(f"{src}: not JSON: {e}")
        return 1
    validate(log)
    for p in problems:
        print(f"{src}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
