// Command go_interop checks a Qinglian publication-log checkpoint and its proofs with
// the Go checksum database's own libraries, golang.org/x/mod/sumdb/note and
// golang.org/x/mod/sumdb/tlog, which have never seen Qinglian's code.
//
//	go_interop VKEY_FILE CHECKPOINT_FILE PROOFS_JSON
//
// VKEY_FILE holds the verifier key (what GET /log/vkey answers), CHECKPOINT_FILE the
// signed checkpoint (GET /log/checkpoint). PROOFS_JSON reads
//
//	{"inclusion":   {"index": 7, "leaf": "<base64 leaf input>", "leaf_hash": "<hex>",
//	                 "proof": ["<hex>", ...]},
//	 "consistency": {"old": 5, "old_root": "<hex>", "proof": ["<hex>", ...]}}
//
// where "inclusion" and "consistency" are the JSON answers of GET /log/proof/inclusion
// and GET /log/proof/consistency as they are (extra fields are ignored), "leaf" is
// optional (when given, its record hash must equal "leaf_hash", or stands in for it),
// and either part may be left out. The tree size and root always come from the signed
// checkpoint, never from the JSON. It prints OK and exits 0, or names the failure on
// standard error and exits 1.
package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type inclusion struct {
	Index    *int64   `json:"index"`
	Leaf     []byte   `json:"leaf"` // base64 in JSON
	LeafHash string   `json:"leaf_hash"`
	Proof    []string `json:"proof"`
}

type consistency struct {
	Old     int64    `json:"old"`
	OldRoot string   `json:"old_root"`
	Proof   []string `json:"proof"`
}

type proofs struct {
	Inclusion   *inclusion   `json:"inclusion"`
	Consistency *consistency `json:"consistency"`
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go_interop VKEY_FILE CHECKPOINT_FILE PROOFS_JSON")
		os.Exit(2)
	}
	checked, err := run(os.Args[1], os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("OK", strings.Join(checked, ", "))
}

func run(vkeyFile, noteFile, proofsFile string) ([]string, error) {
	vkey, err := os.ReadFile(vkeyFile)
	if err != nil {
		return nil, err
	}
	msg, err := os.ReadFile(noteFile)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(proofsFile)
	if err != nil {
		return nil, err
	}
	var p proofs
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("proofs: %v", err)
	}

	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		return nil, fmt.Errorf("verifier key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return nil, fmt.Errorf("signature: %v", err)
	}
	cp, err := parseCheckpoint(n.Text)
	if err != nil {
		return nil, err
	}
	checked := []string{fmt.Sprintf("signature of %s at size %d", cp.origin, cp.size)}

	if inc := p.Inclusion; inc != nil {
		if inc.Index == nil {
			return nil, errors.New("inclusion: no index")
		}
		leafHash, err := recordHash(inc)
		if err != nil {
			return nil, err
		}
		proof, err := hashes(inc.Proof)
		if err != nil {
			return nil, fmt.Errorf("inclusion proof: %v", err)
		}
		if err := tlog.CheckRecord(tlog.RecordProof(proof), cp.size, cp.root, *inc.Index, leafHash); err != nil {
			return nil, fmt.Errorf("inclusion of record %d: %v", *inc.Index, err)
		}
		checked = append(checked, fmt.Sprintf("inclusion of record %d", *inc.Index))
	}

	if con := p.Consistency; con != nil {
		oldRoot, err := hexHash(con.OldRoot)
		if err != nil {
			return nil, fmt.Errorf("consistency old_root: %v", err)
		}
		proof, err := hashes(con.Proof)
		if err != nil {
			return nil, fmt.Errorf("consistency proof: %v", err)
		}
		if err := tlog.CheckTree(tlog.TreeProof(proof), cp.size, cp.root, con.Old, oldRoot); err != nil {
			return nil, fmt.Errorf("consistency from size %d: %v", con.Old, err)
		}
		checked = append(checked, fmt.Sprintf("consistency from size %d", con.Old))
	}
	return checked, nil
}

// parseCheckpoint reads a C2SP tlog-checkpoint body: origin, decimal size, base64 root,
// then optional extension lines. (tlog.ParseTree wants the Go checksum database's own
// origin line, so it cannot read another log's checkpoint.)
func parseCheckpoint(text string) (checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" || lines[0] == "" {
		return checkpoint{}, errors.New("checkpoint: want origin, size and root, one per line")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("checkpoint: bad tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return checkpoint{}, fmt.Errorf("checkpoint: bad root hash %q", lines[2])
	}
	var h tlog.Hash
	copy(h[:], root)
	return checkpoint{origin: lines[0], size: size, root: h}, nil
}

func recordHash(inc *inclusion) (tlog.Hash, error) {
	if inc.Leaf == nil && inc.LeafHash == "" {
		return tlog.Hash{}, errors.New("inclusion: neither leaf nor leaf_hash")
	}
	if inc.Leaf == nil {
		return hexHash(inc.LeafHash)
	}
	h := tlog.RecordHash(inc.Leaf)
	if inc.LeafHash != "" {
		given, err := hexHash(inc.LeafHash)
		if err != nil {
			return tlog.Hash{}, err
		}
		if given != h {
			return tlog.Hash{}, fmt.Errorf("inclusion: leaf hashes to %x, not to leaf_hash %x", h[:], given[:])
		}
	}
	return h, nil
}

func hashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		h, err := hexHash(s)
		if err != nil {
			return nil, fmt.Errorf("hash %d: %v", i, err)
		}
		out[i] = h
	}
	return out, nil
}

func hexHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		return h, fmt.Errorf("not a 32-byte hex hash: %q", s)
	}
	copy(h[:], b)
	return h, nil
}
