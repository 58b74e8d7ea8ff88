tocsin.at(0, function() local s = string.rep('a', 100) while true do s = s .. s end end)
tocsin.at(1, function() pcall(function() while true do end end) end)
setmetatable({}, {__gc = function() while true do end end})
