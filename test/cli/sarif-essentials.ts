/**
 * The essentials of the SARIF 2.1.0 JSON schema (sarif-schema-2.1.0.json, OASIS), written by hand
 * for the objects kpath emits: required properties, property types, enumerations, minimums, and
 * `additionalProperties: false` (an unknown property is an error, as in the schema). Objects kpath
 * does not emit are accepted as any object. `validateSarif` returns every problem with its JSON
 * path; an empty list means valid.
 */

type Check = (value: unknown, at: string, problems: string[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(props: Record<string, Check>, required: string[] = []): Check {
  return (value, at, problems) => {
    if (!isObject(value)) {
      problems.push(`${at}: expected an object`);
      return;
    }
    for (const key of required) if (!(key in value)) problems.push(`${at}: missing required property '${key}'`);
    for (const [key, v] of Object.entries(value)) {
      const check = props[key];
      if (!check) problems.push(`${at}: property '${key}' is not allowed`);
      else check(v, `${at}.${key}`, problems);
    }
  };
}

function array(item: Check, minItems = 0, uniqueItems = false): Check {
  return (value, at, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${at}: expected an array`);
      return;
    }
    if (value.length < minItems) problems.push(`${at}: expected at least ${minItems} item(s)`);
    if (uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      problems.push(`${at}: items must be unique`);
    }
    value.forEach((v, i) => item(v, `${at}[${i}]`, problems));
  };
}

const string: Check = (v, at, p) => {
  if (typeof v !== 'string') p.push(`${at}: expected a string`);
};
const boolean: Check = (v, at, p) => {
  if (typeof v !== 'boolean') p.push(`${at}: expected a boolean`);
};
function integer(minimum: number): Check {
  return (v, at, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) p.push(`${at}: expected an integer`);
    else if (v < minimum) p.push(`${at}: expected an integer >= ${minimum}`);
  };
}
function oneOf(...values: string[]): Check {
  return (v, at, p) => {
    if (typeof v !== 'string' || !values.includes(v)) p.push(`${at}: expected one of ${values.join(', ')}`);
  };
}
/** format: uri (absolute). */
const uri: Check = (v, at, p) => {
  if (typeof v !== 'string' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) p.push(`${at}: expected an absolute URI`);
};
/** format: uri-reference: no spaces or backslashes (they must be percent-encoded). */
const uriReference: Check = (v, at, p) => {
  if (typeof v !== 'string' || /[\s\\]/.test(v)) p.push(`${at}: expected a URI reference`);
};
const anyObject: Check = (v, at, p) => {
  if (!isObject(v)) p.push(`${at}: expected an object`);
};
const propertyBag = anyObject;

const message = object({ text: string, markdown: string, id: string, arguments: array(string), properties: propertyBag });
const multiformatMessageString = object({ text: string, markdown: string, properties: propertyBag }, ['text']);
const artifactLocation = object({ uri: uriReference, uriBaseId: string, index: integer(-1), description: message, properties: propertyBag });
const region = object({
  startLine: integer(1),
  startColumn: integer(1),
  endLine: integer(1),
  endColumn: integer(1),
  charOffset: integer(-1),
  charLength: integer(0),
  byteOffset: integer(-1),
  byteLength: integer(0),
  snippet: anyObject,
  message,
  sourceLanguage: string,
  properties: propertyBag,
});
const physicalLocation = object({ address: anyObject, artifactLocation, region, contextRegion: region, properties: propertyBag });
const location = object({
  id: integer(-1),
  physicalLocation,
  logicalLocations: array(anyObject),
  message,
  annotations: array(region),
  relationships: array(anyObject),
  properties: propertyBag,
});
const threadFlowLocation = object({
  index: integer(-1),
  location,
  stack: anyObject,
  kinds: array(string, 0, true),
  taxa: array(anyObject),
  module: string,
  state: anyObject,
  nestingLevel: integer(0),
  executionOrder: integer(-1),
  executionTimeUtc: string,
  importance: oneOf('important', 'essential', 'unimportant'),
  webRequest: anyObject,
  webResponse: anyObject,
  properties: propertyBag,
});
const threadFlow = object(
  { id: string, message, initialState: anyObject, immutableState: anyObject, locations: array(threadFlowLocation, 1), properties: propertyBag },
  ['locations'],
);
const codeFlow = object({ message, threadFlows: array(threadFlow, 1), properties: propertyBag }, ['threadFlows']);
const artifactContent = object({ text: string, binary: string, rendered: anyObject, properties: propertyBag });
const replacement = object({ deletedRegion: region, insertedContent: artifactContent, properties: propertyBag }, ['deletedRegion']);
const artifactChange = object(
  { artifactLocation, replacements: array(replacement, 1), properties: propertyBag },
  ['artifactLocation', 'replacements'],
);
const fix = object({ description: message, artifactChanges: array(artifactChange, 1, true), properties: propertyBag }, ['artifactChanges']);
const level = oneOf('none', 'note', 'warning', 'error');
const result = object(
  {
    ruleId: string,
    ruleIndex: integer(-1),
    rule: anyObject,
    kind: oneOf('notApplicable', 'pass', 'fail', 'review', 'open', 'informational'),
    level,
    message,
    analysisTarget: artifactLocation,
    locations: array(location),
    guid: string,
    correlationGuid: string,
    occurrenceCount: integer(1),
    partialFingerprints: anyObject,
    fingerprints: anyObject,
    stacks: array(anyObject),
    codeFlows: array(codeFlow),
    graphs: array(anyObject),
    graphTraversals: array(anyObject),
    relatedLocations: array(location),
    suppressions: array(anyObject),
    baselineState: oneOf('new', 'unchanged', 'updated', 'absent'),
    rank: (v, at, p) => {
      if (typeof v !== 'number' || v < -1 || v > 100) p.push(`${at}: expected a number in [-1, 100]`);
    },
    attachments: array(anyObject),
    hostedViewerUri: uri,
    workItemUris: array(uri),
    provenance: anyObject,
    fixes: array(fix),
    taxa: array(anyObject),
    webRequest: anyObject,
    webResponse: anyObject,
    properties: propertyBag,
  },
  ['message'],
);
const reportingConfiguration = object({ enabled: boolean, level, rank: integer(-1), parameters: anyObject, properties: propertyBag });
const reportingDescriptor = object(
  {
    id: string,
    deprecatedIds: array(string),
    guid: string,
    deprecatedGuids: array(string),
    name: string,
    deprecatedNames: array(string),
    shortDescription: multiformatMessageString,
    fullDescription: multiformatMessageString,
    messageStrings: anyObject,
    defaultConfiguration: reportingConfiguration,
    helpUri: uri,
    help: multiformatMessageString,
    relationships: array(anyObject),
    properties: propertyBag,
  },
  ['id'],
);
const toolComponent = object(
  {
    guid: string,
    name: string,
    organization: string,
    product: string,
    productSuite: string,
    shortDescription: multiformatMessageString,
    fullDescription: multiformatMessageString,
    fullName: string,
    version: string,
    semanticVersion: string,
    dottedQuadFileVersion: string,
    releaseDateUtc: string,
    downloadUri: uri,
    informationUri: uri,
    globalMessageStrings: anyObject,
    notifications: array(reportingDescriptor, 0, true),
    rules: array(reportingDescriptor, 0, true),
    taxa: array(reportingDescriptor, 0, true),
    locations: array(artifactLocation),
    language: string,
    contents: array(string),
    isComprehensive: boolean,
    localizedDataSemanticVersion: string,
    minimumRequiredLocalizedDataSemanticVersion: string,
    associatedComponent: anyObject,
    translationMetadata: anyObject,
    supportedTaxonomies: array(anyObject),
    properties: propertyBag,
  },
  ['name'],
);
const notification = object(
  {
    locations: array(location),
    message,
    level,
    threadId: integer(-1),
    timeUtc: string,
    exception: anyObject,
    descriptor: anyObject,
    associatedRule: anyObject,
    properties: propertyBag,
  },
  ['message'],
);
const invocation = object(
  {
    commandLine: string,
    arguments: array(string),
    responseFiles: array(artifactLocation),
    startTimeUtc: string,
    endTimeUtc: string,
    exitCode: integer(Number.MIN_SAFE_INTEGER),
    ruleConfigurationOverrides: array(anyObject),
    notificationConfigurationOverrides: array(anyObject),
    toolExecutionNotifications: array(notification),
    toolConfigurationNotifications: array(notification),
    exitCodeDescription: string,
    exitSignalName: string,
    exitSignalNumber: integer(Number.MIN_SAFE_INTEGER),
    processStartFailureMessage: string,
    executionSuccessful: boolean,
    machine: string,
    account: string,
    processId: integer(Number.MIN_SAFE_INTEGER),
    executableLocation: artifactLocation,
    workingDirectory: artifactLocation,
    environmentVariables: anyObject,
    stdin: artifactLocation,
    stdout: artifactLocation,
    stderr: artifactLocation,
    stdoutStderr: artifactLocation,
    properties: propertyBag,
  },
  ['executionSuccessful'],
);
/** originalUriBaseIds: each value an artifactLocation whose uri, if present, is absolute and ends with '/'. */
const uriBaseIds: Check = (v, at, p) => {
  if (!isObject(v)) {
    p.push(`${at}: expected an object`);
    return;
  }
  for (const [key, base] of Object.entries(v)) {
    artifactLocation(base, `${at}.${key}`, p);
    const u = isObject(base) ? base.uri : undefined;
    if (typeof u === 'string' && (!/^[a-z][a-z0-9+.-]*:/i.test(u) || !u.endsWith('/'))) {
      p.push(`${at}.${key}.uri: a base URI must be absolute and end with '/'`);
    }
  }
};
const tool = object({ driver: toolComponent, extensions: array(toolComponent), properties: propertyBag }, ['driver']);
const run = object(
  {
    tool,
    invocations: array(invocation),
    conversion: anyObject,
    language: string,
    versionControlProvenance: array(anyObject),
    originalUriBaseIds: uriBaseIds,
    artifacts: array(anyObject),
    logicalLocations: array(anyObject),
    graphs: array(anyObject),
    results: array(result),
    automationDetails: anyObject,
    runAggregates: array(anyObject),
    baselineGuid: string,
    redactionTokens: array(string),
    defaultEncoding: string,
    defaultSourceLanguage: string,
    newlineSequences: array(string, 1),
    columnKind: oneOf('utf16CodeUnits', 'unicodeCodePoints'),
    externalPropertyFileReferences: anyObject,
    threadFlowLocations: array(threadFlowLocation),
    taxonomies: array(anyObject),
    addresses: array(anyObject),
    translations: array(anyObject),
    policies: array(anyObject),
    webRequests: array(anyObject),
    webResponses: array(anyObject),
    specialLocations: anyObject,
    properties: propertyBag,
  },
  ['tool'],
);
const log = object(
  { $schema: uri, version: oneOf('2.1.0'), runs: array(run), inlineExternalProperties: array(anyObject), properties: propertyBag },
  ['version', 'runs'],
);

/** Every violation of the essentials, as `$.runs[0].results[2].level: expected one of ...`. */
export function validateSarif(doc: unknown): string[] {
  const problems: string[] = [];
  log(doc, '$', problems);
  // Cross-references the schema cannot express but viewers rely on.
  if (isObject(doc) && Array.isArray(doc.runs)) {
    doc.runs.forEach((r, i) => {
      if (!isObject(r) || !isObject(r.tool) || !isObject(r.tool.driver)) return;
      const rules = Array.isArray(r.tool.driver.rules) ? r.tool.driver.rules : [];
      (Array.isArray(r.results) ? r.results : []).forEach((res, j) => {
        if (!isObject(res)) return;
        const at = `$.runs[${i}].results[${j}]`;
        if (typeof res.ruleIndex === 'number') {
          const rule = rules[res.ruleIndex];
          if (!isObject(rule) || rule.id !== res.ruleId) problems.push(`${at}.ruleIndex: does not point at rule '${String(res.ruleId)}'`);
        }
        if (!isObject(res.message) || (typeof res.message.text !== 'string' && typeof res.message.id !== 'string')) {
          problems.push(`${at}.message: needs text or id`);
        }
      });
    });
  }
  return problems;
}
