import json


def dump(command, result):
    command.stdout.write(json.dumps(result, indent=2, default=str))
