return {greeting = "configured by fixtures/base.lua\n"}
