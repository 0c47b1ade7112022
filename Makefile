# The two commands: `make demo` and `make test`. Both install what is missing first.
SHELL := /bin/bash
JOBS ?= $(shell nproc)

.PHONY: deps demo test build build-test bench format lint clean

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

build-test: deps
	cmake --preset test >/dev/null
	cmake --build --preset test -j $(JOBS)

demo: build
	./build/release/fangxian --db var/demo.db demo

test: build-test
	ctest --preset test -j $(JOBS)

bench: build
	bash scripts/bench-import.sh

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

lint:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf build
