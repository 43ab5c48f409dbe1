"""What CPython's inspect says about every function of some Python modules, for the DSL's reader.

Usage: python3 inspect_functions.py FILE...  ->  JSON list of [file, function, facts]

The modules are imported with every `kfp` and `google_cloud_pipeline_components` import replaced
by a permissive stand-in (the SDK is not installed), so decorators return the function unchanged.
For each module-level function it prints the text the KFP SDK embeds in a component
(`inspect.getsource`, `textwrap.dedent`, lines before `def` dropped, as
`component_factory._get_function_source_definition` does), `inspect.getdoc`, and each parameter's
name, whether it is annotated, and `repr` of its default. Standard library only.
"""
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import itertools
import json
import sys
import textwrap
import types


class Stub:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and (inspect.isfunction(args[0]) or inspect.isclass(args[0])):
            return args[0]
        return Stub()

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return Stub()

    def __getitem__(self, key):
        return Stub()

    def __or__(self, other):
        return Stub()

    __ror__ = __or__

    def __iter__(self):
        return iter([])

    def __enter__(self):
        return Stub()

    def __exit__(self, *args):
        return False


class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return Stub()


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split('.')[0] in ('kfp', 'google_cloud_pipeline_components'):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def sdk_source(func):
    code = textwrap.dedent(inspect.getsource(func))
    return '\n'.join(itertools.dropwhile(lambda line: not line.startswith('def'), code.split('\n')))


def main(files):
    sys.meta_path.insert(0, StubFinder())
    out = []
    for index, path in enumerate(files):
        spec = importlib.util.spec_from_file_location(f'module_{index}', path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, func in vars(module).items():
            if inspect.isfunction(func) and func.__module__ == module.__name__:
                parameters = [[p.name, p.annotation is not inspect.Parameter.empty, None if p.default is inspect.Parameter.empty else repr(p.default)]
                              for p in inspect.signature(func).parameters.values()]
                out.append([path, name, {'source': sdk_source(func), 'doc': inspect.getdoc(func), 'parameters': parameters}])
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1:])
